using CreditActors.Domain.Accounts;
using FsCheck;
using FsCheck.Fluent;

namespace CreditActors.Domain.Tests.Support;

/// <summary>One random step: a kind of command and numbers the interpreter turns into its content.</summary>
public readonly record struct Step(int Kind, int A, int B, int C, int Hours);

/// <summary>A random sequence of steps for one account; interpreted against the state into real commands.</summary>
public sealed record Workload(IReadOnlyList<Step> Steps)
{
    public override string ToString() => string.Join("; ", Steps.Select(s => $"{s.Kind}:{s.A},{s.B},{s.C}+{s.Hours}h"));
}

public static class WorkloadArbitraries
{
    public const int Kinds = 24;

    public static Arbitrary<Workload> Workloads() =>
        (from kind in Gen.Choose(0, Kinds - 1)
         from a in Gen.Choose(0, 1_000)
         from b in Gen.Choose(0, 1_000_000)
         from c in Gen.Choose(0, 1_000)
         from hours in Gen.Choose(0, 72)
         select new Step(kind, a, b, c, hours))
        .ListOf()
        .Select(steps => new Workload(steps.ToList()))
        .ToArbitrary();
}

/// <summary>Turns steps into commands (valid and invalid alike) and runs them through the domain.</summary>
public static class WorkloadRunner
{
    /// <summary>The credit policy the workloads run under: the defaults, with the shipped rating policy active.</summary>
    public static readonly CreditPolicy Policy = CreditPolicy.Default with
    {
        Rating = Domain.Rating.RatingPolicyDocument.Standard,
        Collections = Collections.DunningCalendar.Calendar,
    };

    public static readonly DateTimeOffset Start = new(2026, 1, 5, 8, 0, 0, TimeSpan.Zero);

    public sealed record Outcome(
        AccountCommand Command, DateTimeOffset Now, Decision Decision, AccountState Before, AccountState After, CommandContext Context);

    /// <summary>The command a step stands for against the current state; may be invalid on purpose.</summary>
    public static AccountCommand ToCommand(Step step, AccountState state, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var invoice = state.Invoices.Count == 0 ? $"I{step.A % 10}" : state.Invoices.Keys.ElementAt(step.A % state.Invoices.Count);
        // Mostly valid cents; now and then a third decimal, which must be rejected.
        var amount = (step.B % 300_000 + 1) / 100m + (step.C % 23 == 0 ? 0.001m : 0m);
        return step.Kind switch
        {
            0 or 1 => new PlaceHold($"H{step.A % 12}", amount, step.C % 3 == 0 ? null : now.AddHours(step.C % 96 + 1), $"SO{step.A % 5}"),
            2 => new ReleaseHold($"H{step.A % 12}", null),
            3 or 4 => Invoice(step, state, now, amount),
            5 when state.Invoices.Count > 0 && step.C % 3 == 1 => PayNetOfDiscount(step, state.Invoices[invoice]),
            5 or 6 => new ReceivePayment($"P{step.A % 12}", amount, today.AddDays(-(step.C % 20)),
                step.C % 2 == 0 && state.Invoices.Count > 0 ? [new RemittanceLine(invoice, step.C % 4 == 0 ? 1 : null,
                    amount / 2 - amount / 2 % 0.01m)] : null),
            7 => new IssueCreditNote($"CN{step.A % 6}", invoice, amount / 4 - amount / 4 % 0.01m, "returned goods", null, null),
            8 => new WriteOffInvoice($"WO{step.A % 6}", invoice, step.C % 2 == 0 ? 1 : null, step.C % 3 == 0 ? null : amount / 3 - amount / 3 % 0.01m,
                "uncollectable", null),
            9 => new ChangeCreditLimit((step.B % 50) * (step.C % 2 == 0 ? 500m : 5_000m), "review"),
            14 when state.PendingLimitRequest is { } pending => step.B % 3 == 0
                ? new RejectCreditLimitChange(pending.RequestId, "not justified")
                : new ApproveCreditLimitChange(pending.RequestId, null),
            10 => step.C % 2 == 0 ? new BlockAccount("late") : new UnblockAccount(null),
            11 => new ExpireDueHolds(),
            12 => new UpdateProfile(Phone: $"+86 {step.A}", Tier: (Tier)(step.C % 3)),
            15 => new ReviewRating(step.C % 2 == 0 ? "review" : "scheduled", step.C % 3 == 0 ? $"RUN{step.A % 3}" : null),
            17 => new AcceptSuggestedTier(),
            16 => new RecordExternalRating(step.A % 4 == 0 ? "Dagong" : "Coface", $"G{step.A % 7}", step.B % 105,
                today.AddDays(-(step.C % 500)), null),
            18 or 19 => new RunDunning(),
            20 => new DisputeInvoice($"D{step.A % 4}", invoice, amount / 5 - amount / 5 % 0.01m, step.C % 3 == 0 ? 1 : null,
                CreditAccount.DisputeReasons[step.C % CreditAccount.DisputeReasons.Count], null),
            21 => new ResolveDispute($"D{step.A % 4}", CreditAccount.DisputeResolutions[step.C % CreditAccount.DisputeResolutions.Count], null, null),
            22 => new RecordPromiseToPay($"PR{step.A % 4}", amount / 3 - amount / 3 % 0.01m, today.AddDays(step.C % 10 - 1),
                step.C % 2 == 0 ? null : [invoice], null),
            23 => (step.C % 3) switch
            {
                0 => new AddCollectionNote($"N{step.A % 5}", CreditAccount.ContactKinds[step.A % CreditAccount.ContactKinds.Count], "spoke to them", null,
                    today.AddDays(step.C % 7), null),
                1 when step.A % 4 == 0 => new SetContactPreferences(step.B % 2 == 0 ? "zh" : "en", step.B % 3 == 0 ? null : "ap@random.example",
                    step.B % 5 == 0, step.B % 7 == 0 ? "request" : null),
                1 when step.A % 4 == 1 => new IssueStatement($"statement-{step.C % 3}", today.AddDays(-30), today, now, 0m, 0m, 0m, 0m,
                    Math.Max(1, state.Version - step.B % 3), step.B % 11 == 0 ? new string('b', 64) : new string('a', 64), null, "zh"),
                1 => new AssignCollector(step.A % 3 == 0 ? null : $"collector-{step.A % 2}"),
                _ => state.Collections.Deliveries.Values.FirstOrDefault() is { } delivery
                    ? new RecordDeliveryOutcome(delivery.NoticeId, delivery.Attempts + 1 + step.A % 2, step.B % 2 == 0, "ap@random.example", null,
                        "refused", step.B % 3 == 0, null)
                    : new RunDunning(),
            },
            _ => step.C % 5 == 0 ? new CloseAccount("done") : new OpenAccount(state.AccountId, "CNY", 20_000m, 30, new Profile("Random Co.")),
        };
    }

    /// <summary>What a customer taking a 2 % early-payment discount pays, a few days after the invoice.</summary>
    private static ReceivePayment PayNetOfDiscount(Step step, Invoice invoice)
    {
        var net = invoice.Open * 0.98m;
        net -= net % 0.01m;
        return new ReceivePayment($"P{step.A % 12}", Math.Max(net, 0.01m), invoice.IssueDate.AddDays(step.C % 12),
            [new RemittanceLine(invoice.InvoiceNumber, null, Math.Min(Math.Max(net, 0.01m), Math.Max(invoice.Open, 0.01m)))]);
    }

    private static IssueInvoice Invoice(Step step, AccountState state, DateTimeOffset now, decimal amount)
    {
        var issue = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-(step.C % 120));
        var hold = state.Holds.Count > 0 && step.A % 3 == 0 ? state.Holds.Keys.ElementAt(step.C % state.Holds.Count) : null;
        var cents = decimal.Round(amount, 2);
        var installments = step.B % 3 == 0 && cents >= 0.02m
            ? new List<InstallmentRequest> { new(issue.AddDays(10), cents - cents / 2 + cents / 2 % 0.01m), new(issue.AddDays(40),
                cents / 2 - cents / 2 % 0.01m) }
            : null;
        var discount = step.B % 4 == 1 ? new DiscountTerms(2m, 10) : null;
        return new IssueInvoice($"I{step.A % 10}", amount, issue, null, installments, discount, hold);
    }

    /// <summary>
    /// Opens the account, then runs every step; returns what each command decided. On the live state (settled items leave
    /// it), or, with <paramref name="keepSettled"/>, on a state that keeps them, so that steps also name settled items.
    /// </summary>
    public static (AccountState State, List<AccountEvent> Events, List<Outcome> Outcomes) Run(
        string accountId, IEnumerable<AccountCommand> prefix, IReadOnlyList<Step> steps, Func<int, Step, bool>? repeatAfter = null,
        bool keepSettled = false)
    {
        var state = keepSettled ? AccountState.EmptyWithHistory(accountId) : AccountState.Empty(accountId);
        var events = new List<AccountEvent>();
        var outcomes = new List<Outcome>();
        var now = Start;
        var context = new CommandContext("property", "corr");

        // Two people take turns, so that maker-checker sees both self-approval and a real second person.
        void Execute(AccountCommand command)
        {
            var before = state;
            var decision = CreditAccount.Decide(state, command, context, now, Policy);
            foreach (var e in decision.Events)
                state = CreditAccount.Evolve(state, e);
            events.AddRange(decision.Events);
            outcomes.Add(new Outcome(command, now, decision, before, state, context));
        }

        foreach (var command in prefix)
            Execute(command);
        for (var i = 0; i < steps.Count; i++)
        {
            now = now.AddHours(steps[i].Hours);
            context = new CommandContext(steps[i].C % 3 == 0 ? "checker" : "maker", "corr");
            var command = ToCommand(steps[i], state, now);
            Execute(command);
            if (repeatAfter?.Invoke(i, steps[i]) == true)
                Execute(command);
        }
        return (state, events, outcomes);
    }

    public static AccountCommand[] OpenPrefix(string accountId) =>
        [new OpenAccount(accountId, "CNY", 20_000m, 30, new Profile("Random Co."))];
}
