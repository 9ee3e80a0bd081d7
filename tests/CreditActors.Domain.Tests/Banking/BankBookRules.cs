using CreditActors.Domain.Accounts;
using CreditActors.Domain.Banking;

namespace CreditActors.Domain.Tests.Banking;

// The bank book's rules, given/when/then: a bank reference is taken once (a file twice, or a transaction twice in a file,
// writes nothing more); the rules decide only for a transaction nobody decided on; a person's match must add up to what
// is left and teaches the book the payer's account; a refused payment puts the transaction back in the queue; ignoring
// needs a reason and nothing being posted; every rejection writes nothing.
public class BankBookRules
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

    private static BankTransaction Credit(string reference, decimal amount, string? payerAccount = "6222000011112222") =>
        new(reference, new DateOnly(2026, 11, 30), amount, "CNY", "Payer Co", payerAccount, "INV-1");

    private static ImportBankStatement File(string id, params BankTransaction[] credits) =>
        new(id, "camt.053", "nov.xml", new string('a', 64), "1001", "CNY", credits);

    private static BankBook Given(params BankCommand[] commands)
    {
        var book = BankBook.Empty;
        foreach (var command in commands)
        {
            var (events, rejection) = book.Decide(command, "finance.li", Now);
            Assert.Null(rejection);
            book = events.Aggregate(book, (b, e) => b.Apply(e));
        }
        return book;
    }

    private static DecideBankMatch Auto(string reference, string account, decimal amount) =>
        new(reference, [new BankPartRequest(account, amount, [new RemittanceLine("INV-1", null, amount)])], "invoice-number", 0.95m, null, Manual: false);

    private static DecideBankMatch ByHand(string reference, params (string Account, decimal Amount)[] parts) =>
        new(reference, [.. parts.Select(p => new BankPartRequest(p.Account, p.Amount, []))], "manual", 1m, "their letter", Manual: true);

    [Fact]
    public void a_file_twice_and_a_transaction_twice_write_nothing_more()
    {
        var book = Given(File("f1", Credit("R1", 100m), Credit("R2", 50m), Credit("R1", 100m)));
        Assert.Equal(["R1", "R2"], book.Order);
        Assert.Equal(["R1"], book.Imports["f1"].Imported.Repeated);

        Assert.Empty(book.Decide(File("f1", Credit("R1", 100m)), "finance.li", Now).Events);
        var (events, _) = book.Decide(File("f2", Credit("R2", 50m), Credit("R3", 70m)), "finance.li", Now);
        var imported = Assert.IsType<BankStatementImported>(Assert.Single(events));
        Assert.Equal(["R3"], imported.Transactions.Select(t => t.BankReference));
        Assert.Equal(["R2"], imported.Repeated);
    }

    [Fact]
    public void a_file_with_a_bad_amount_or_another_currency_is_refused_whole()
    {
        Assert.Equal("amount", BankBook.Empty.Decide(File("f1", Credit("R1", 100m), Credit("R2", 1.005m)), "x", Now).Rejection!.Field);
        Assert.Equal("currency", BankBook.Empty.Decide(File("f1", Credit("R1", 100m) with { Currency = "USD" }), "x", Now).Rejection!.Field);
        Assert.Empty(BankBook.Empty.Decide(File("f1", Credit("R1", 100m) with { Currency = "USD" }), "x", Now).Events);
    }

    [Fact]
    public void the_rules_decide_once_and_the_decision_is_posted_by_its_own_reference()
    {
        var book = Given(File("f1", Credit("R/1 2", 100m)), Auto("R/1 2", "ACME", 100m));
        var part = Assert.Single(book.Entries["R/1 2"].Parts);
        Assert.Equal(("R-1-2", BankStatuses.Posting), (part.PaymentReference, book.Entries["R/1 2"].Status));
        // A second decision by the rules (a second import after a crash) writes nothing: the first stands.
        Assert.Empty(book.Decide(Auto("R/1 2", "BETA", 100m), "x", Now).Events);

        book = Given(File("f1", Credit("R/1 2", 100m)), Auto("R/1 2", "ACME", 100m), new RecordBankPosting("R/1 2", "R-1-2", null, null));
        Assert.Equal(BankStatuses.Matched, book.Entries["R/1 2"].Status);
        Assert.Empty(book.Decide(new RecordBankPosting("R/1 2", "R-1-2", null, null), "x", Now).Events);
        var report = book.Report("f1");
        Assert.Equal((1, 100m, 0), (report.AutoMatched.Count, report.AutoMatched.Amount, report.Unmatched.Count));
    }

    [Fact]
    public void a_refused_payment_puts_the_transaction_back_in_the_queue_and_a_person_posts_what_is_left()
    {
        var book = Given(File("f1", Credit("R1", 100m)), Auto("R1", "ACME", 100m), new RecordBankPosting("R1", "R1", "invalid", "line not open"));
        var entry = book.Entries["R1"];
        Assert.Equal((BankStatuses.Unmatched, 100m, "invalid: line not open"), (entry.Status, entry.Remaining, entry.Problem));

        var (rejected, rejection) = book.Decide(ByHand("R1", ("ACME", 60m)), "finance.li", Now);
        Assert.Equal(("parts", 0), (rejection!.Field, rejected.Count));
        book = Given(File("f1", Credit("R1", 100m)), Auto("R1", "ACME", 100m), new RecordBankPosting("R1", "R1", "invalid", "line not open"),
            ByHand("R1", ("ACME", 60m), ("BETA", 40m)));
        Assert.Equal(["R1", "R1-2", "R1-3"], book.Entries["R1"].Parts.Select(p => p.PaymentReference));
        Assert.Equal(BankStatuses.Posting, book.Entries["R1"].Status);
        // A split teaches nothing: the payer's account belongs to two customers here.
        Assert.Empty(book.PayerAccounts);
        Assert.Equal("bank_payment_posting", book.Decide(ByHand("R1", ("ACME", 100m)), "x", Now).Rejection!.Code);
    }

    [Fact]
    public void a_match_by_hand_to_one_customer_teaches_the_payer_account_and_cannot_be_made_twice()
    {
        var book = Given(File("f1", Credit("R1", 100m)), ByHand("R1", ("ACME", 100m)), new RecordBankPosting("R1", "R1", null, null));
        Assert.Equal("ACME", book.PayerAccounts["6222000011112222"]);
        Assert.True(book.Entries["R1"].Manual);
        Assert.Equal(1, book.Report("f1").ManuallyMatched.Count);
        Assert.Equal("bank_transaction_matched", book.Decide(ByHand("R1", ("ACME", 100m)), "x", Now).Rejection!.Code);
        Assert.Equal("bank_transaction_not_found", book.Decide(ByHand("R9", ("ACME", 100m)), "x", Now).Rejection!.Code);
        Assert.Equal("parts[0].accountId", Given(File("f1", Credit("R1", 100m))).Decide(ByHand("R1", ("no such id!", 100m)), "x", Now).Rejection!.Field);
    }

    [Fact]
    public void ignoring_needs_a_reason_and_nothing_being_posted()
    {
        var book = Given(File("f1", Credit("R1", 100m), Credit("R2", 50m)), Auto("R2", "ACME", 50m));
        Assert.Equal("reason", book.Decide(new IgnoreBankTransaction("R1", " "), "x", Now).Rejection!.Field);
        Assert.Equal("bank_payment_posting", book.Decide(new IgnoreBankTransaction("R2", "refund"), "x", Now).Rejection!.Code);
        book = Given(File("f1", Credit("R1", 100m)), new IgnoreBankTransaction("R1", "transfer between our own accounts"));
        Assert.Equal((BankStatuses.Ignored, 1, 100m), (book.Entries["R1"].Status, book.Report("f1").Ignored.Count, book.Report("f1").Ignored.Amount));
        Assert.Empty(book.Decide(new IgnoreBankTransaction("R1", "again"), "x", Now).Events);
        Assert.Equal("bank_transaction_ignored", book.Decide(ByHand("R1", ("ACME", 100m)), "x", Now).Rejection!.Code);
    }

    [Fact]
    public void a_payment_reference_is_a_valid_id_whatever_the_bank_writes()
    {
        foreach (var reference in new[] { "B20261128001", "2026/11/28 0001", "参考号-1", new string('x', 200), "  " })
            Assert.True(Identifiers.IsValid(BankBook.PaymentReferenceOf(reference) + "-12"), reference);
        Assert.NotEqual(BankBook.PaymentReferenceOf(new string('x', 100) + "a"), BankBook.PaymentReferenceOf(new string('x', 100) + "b"));
    }
}
