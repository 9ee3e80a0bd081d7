using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Tests.Support;

/// <summary>Given-commands / when-command / then-events for one account, with a clock the test moves.</summary>
public sealed class Scenario
{
    public const string AccountId = "ACME-001";
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly CommandContext Context = new("tester", "corr-1");

    public Scenario(string accountId = AccountId) => State = AccountState.Empty(accountId);

    public AccountState State { get; private set; }
    public List<AccountEvent> History { get; } = [];
    public DateTimeOffset Now { get; set; } = Start;
    public CreditPolicy Policy { get; set; } = CreditPolicy.Default;

    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public static Scenario Opened(decimal creditLimit = 10_000m, int paymentTermsDays = 30, string currency = "CNY")
    {
        var scenario = new Scenario();
        scenario.Given(new OpenAccount(AccountId, currency, creditLimit, paymentTermsDays, new Profile("Acme Trading Co.")));
        return scenario;
    }

    /// <summary>Applies commands that must be accepted, as history.</summary>
    public Scenario Given(params AccountCommand[] commands)
    {
        foreach (var command in commands)
        {
            var decision = When(command);
            if (decision.Rejection is { } rejection)
                throw new InvalidOperationException($"Given {command.GetType().Name} was rejected: {rejection.Message}");
        }
        return this;
    }

    /// <summary>Decides a command now and folds its events into the history.</summary>
    public Decision When(AccountCommand command)
    {
        var decision = CreditAccount.Decide(State, command, Context, Now, Policy);
        foreach (var e in decision.Events)
        {
            State = CreditAccount.Evolve(State, e);
            History.Add(e);
        }
        AccountInvariants.Assert(State);
        return decision;
    }

    /// <summary>Folds a decision taken elsewhere (for example by another person) into the history.</summary>
    public Scenario Apply(Decision decision)
    {
        Assert.Null(decision.Rejection);
        foreach (var e in decision.Events)
        {
            State = CreditAccount.Evolve(State, e);
            History.Add(e);
        }
        return this;
    }

    public Scenario At(DateTimeOffset now)
    {
        Now = now;
        return this;
    }

    public static IssueInvoice Invoice(string number, decimal amount, DateOnly issueDate, DateOnly? dueDate = null,
        IReadOnlyList<InstallmentRequest>? installments = null, DiscountTerms? discount = null, string? holdId = null) =>
        new(number, amount, issueDate, dueDate, installments, discount, holdId);

    public static ReceivePayment Payment(string reference, decimal amount, DateOnly receivedDate, params RemittanceLine[] allocations) =>
        new(reference, amount, receivedDate, allocations.Length == 0 ? null : allocations);
}
