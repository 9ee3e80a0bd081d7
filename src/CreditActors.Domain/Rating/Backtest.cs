using CreditActors.Domain.Accounts;

namespace CreditActors.Domain.Rating;

public enum BacktestStep { Month, Quarter }

/// <summary>
/// What a backtest asks: two policies, the dates to rate on (from <paramref name="From"/>, every step, to
/// <paramref name="To"/>), and the outcome that counts as a default: a line <paramref name="OutcomeDaysPastDue"/> days past
/// due, or a write-off, within <paramref name="HorizonMonths"/> after the date.
/// </summary>
public sealed record BacktestSpec(
    RatingPolicy Candidate, RatingPolicy Baseline, DateOnly From, DateOnly To, BacktestStep Step, int OutcomeDaysPastDue, int HorizonMonths)
{
    public const int MaximumDates = 400;

    public IReadOnlyList<DateOnly> Dates
    {
        get
        {
            var dates = new List<DateOnly>();
            for (var i = 0; dates.Count < MaximumDates; i++)
            {
                var date = From.AddMonths(i * (Step == BacktestStep.Month ? 1 : 3));
                if (date > To)
                    break;
                dates.Add(date);
            }
            return dates;
        }
    }

    public Rejection? Problem()
    {
        if (From > To)
            return Rejection.Invalid("to", "to must not be before from");
        if (Dates.Count >= MaximumDates && From.AddMonths(MaximumDates * (Step == BacktestStep.Month ? 1 : 3)) <= To)
            return Rejection.Invalid("to", $"a backtest rates on at most {MaximumDates} dates");
        if (OutcomeDaysPastDue is < 1 or > 3660)
            return Rejection.Invalid("outcome.daysPastDue", "outcome.daysPastDue must be between 1 and 3660");
        if (HorizonMonths is < 1 or > 120)
            return Rejection.Invalid("outcome.horizonMonths", "outcome.horizonMonths must be between 1 and 120");
        return null;
    }
}

/// <summary>How one policy graded and discriminated: per date and grade counts, default rates per grade, AUC, Gini, KS.</summary>
public sealed record PolicyBacktest(
    string Policy,
    IReadOnlyList<DateGrades> GradesByDate,
    IReadOnlyList<GradeOutcome> DefaultRates,
    decimal? Auc,
    decimal? Gini,
    decimal? Ks);

public sealed record DateGrades(DateOnly Date, IReadOnlyDictionary<string, int> Grades);

public sealed record GradeOutcome(string Grade, int Rated, int Defaulted, decimal? DefaultRate);

/// <summary>A cell of the migration matrix: how many ratings had this baseline grade and this candidate grade.</summary>
public sealed record Migration(string From, string To, int Count);

/// <summary>
/// The holds placed in the range that the candidate's floor would have declined (as graded at the last date before each
/// hold), their amount, and those of the accounts that defaulted within the horizon after the hold: exposure avoided
/// against sales refused.
/// </summary>
public sealed record DeclinedHolds(int Holds, decimal Amount, int Judged, int OfDefaultedAccounts, decimal AmountOfDefaultedAccounts,
    IReadOnlyDictionary<string, decimal> AmountByCurrency);

public sealed record BacktestResult(
    IReadOnlyList<DateOnly> Dates,
    int Accounts,
    int Ratings,
    int Defaults,
    int RatingsWithFullHorizon,
    PolicyBacktest Baseline,
    PolicyBacktest Candidate,
    IReadOnlyList<Migration> Migrations,
    DeclinedHolds CandidateDeclines);

/// <summary>
/// A backtest that passes once through the journal in its order: each account is folded as the events come (the same
/// <see cref="RatingFold"/> and <see cref="RatingEngine"/> that rate live); at each date D, as soon as the journal has passed
/// the end of D, every account opened by then is rated by both policies on its events effective by D and recorded by the end
/// of D (no backdated fact leaks into the past). Outcomes use the whole journal (hindsight is the point of an outcome).
/// Memory: what is open per account, plus a few numbers per rating and per line not yet settled by its outcome date.
/// </summary>
public sealed class BacktestEngine(BacktestSpec spec)
{
    private readonly IReadOnlyList<DateOnly> _dates = spec.Dates;
    private readonly Dictionary<string, AccountTrack> _accounts = new(StringComparer.Ordinal);
    private readonly List<Rated> _ratings = [];
    private readonly List<HoldJudged> _holds = [];
    private int _next;
    /// <summary>The day of the latest event recorded: outcomes after it are not known yet.</summary>
    private DateOnly _lastRecorded = DateOnly.MinValue;

    public long Events { get; private set; }

    public int Accounts => _accounts.Count;

    /// <summary>The dates rated so far.</summary>
    public int DatesDone => _next;

    private sealed class AccountTrack(int index)
    {
        public int Index { get; } = index;
        public RatingFold Fold { get; } = new();
        /// <summary>Events recorded but effective after the date being rated towards: applied when a date reaches them.</summary>
        public List<AccountEvent> Pending { get; } = [];
        /// <summary>Lines not yet settled by their outcome date: amount, due date, settled by the outcome date.</summary>
        public Dictionary<(string Invoice, int Line), (DateOnly DueDate, decimal Amount, decimal SettledByOutcome)> Lines { get; } = [];
        public List<DateOnly> Defaults { get; } = [];
        public (RatingResult Baseline, RatingResult Candidate, DateOnly Date)? Latest { get; set; }
        public string Currency { get; set; } = "";
    }

    private readonly record struct Rated(int Account, int Date, decimal BaselineScore, string BaselineGrade, decimal CandidateScore, string CandidateGrade);

    private readonly record struct HoldJudged(int Account, DateOnly Date, decimal Amount, string Currency, bool Declined, bool Judged);

    /// <summary>One event of the journal, in the journal's order.</summary>
    public void Apply(string accountId, AccountEvent e)
    {
        Events++;
        // Dates whose end the journal has passed are rated before this event counts.
        while (_next < _dates.Count && e.Meta.RecordedAt > EndOf(_dates[_next]))
            RateAll(_next++);
        if (!_accounts.TryGetValue(accountId, out var account))
            _accounts[accountId] = account = new AccountTrack(_accounts.Count);
        var recordedDay = DateOnly.FromDateTime(e.Meta.RecordedAt.UtcDateTime);
        if (recordedDay > _lastRecorded)
            _lastRecorded = recordedDay;
        TrackOutcome(account, e);
        if (e is CreditHoldPlaced hold && recordedDay >= spec.From && recordedDay <= spec.To)
            JudgeHold(account, hold);
        var toward = _next < _dates.Count ? _dates[_next] : DateOnly.MaxValue;
        if (e.Meta.EffectiveDate > toward)
            account.Pending.Add(e);
        else
            account.Fold.Apply(e, toward);
        if (e is AccountOpened opened)
            account.Currency = opened.Currency;
    }

    /// <summary>Rates the dates the journal did not pass (up to its end), and gathers the result.</summary>
    public BacktestResult Complete()
    {
        while (_next < _dates.Count)
            RateAll(_next++);
        var ids = _accounts.Values.ToDictionary(a => a.Index);
        foreach (var account in _accounts.Values)
            foreach (var (due, amount, settled) in account.Lines.Values)
                if (settled < amount)
                    account.Defaults.Add(due.AddDays(spec.OutcomeDaysPastDue));
        bool Defaulted(int accountIndex, DateOnly date) =>
            ids[accountIndex].Defaults.Any(d => d > date && d <= date.AddMonths(spec.HorizonMonths) && d <= _lastRecorded);
        var outcomes = _ratings.Select(r => Defaulted(r.Account, _dates[r.Date])).ToList();
        var full = _ratings.Count(r => _dates[r.Date].AddMonths(spec.HorizonMonths) <= _lastRecorded);

        PolicyBacktest Report(RatingPolicy policy, Func<Rated, decimal> score, Func<Rated, string> grade)
        {
            var scores = _ratings.Select(score).ToList();
            var auc = Discrimination.Auc(scores, outcomes);
            return new(
            policy.Key,
            [.. _dates.Select((d, i) => new DateGrades(d, _ratings.Where(r => r.Date == i).GroupBy(grade)
                .OrderBy(g => policy.Rank(g.Key)).ToDictionary(g => g.Key, g => g.Count())))],
            [.. policy.Grades.Select(g =>
            {
                var rated = _ratings.Select((r, i) => (r, i)).Where(x => grade(x.r) == g.Grade).ToList();
                var defaulted = rated.Count(x => outcomes[x.i]);
                return new GradeOutcome(g.Grade, rated.Count, defaulted, rated.Count == 0 ? null : decimal.Round((decimal)defaulted / rated.Count, 4));
            })],
            auc is { } a ? decimal.Round(a, 4) : null,
            auc is { } g ? decimal.Round(2m * g - 1m, 4) : null,
            Discrimination.Ks(scores, outcomes) is { } ks ? decimal.Round(ks, 4) : null);
        }

        var declined = _holds.Where(h => h.Judged && h.Declined).ToList();
        var declinedDefaulted = declined.Where(h => Defaulted(h.Account, h.Date)).ToList();
        return new BacktestResult(
            _dates, _accounts.Count, _ratings.Count, outcomes.Count(o => o), full,
            Report(spec.Baseline, r => r.BaselineScore, r => r.BaselineGrade),
            Report(spec.Candidate, r => r.CandidateScore, r => r.CandidateGrade),
            [.. _ratings.GroupBy(r => (r.BaselineGrade, r.CandidateGrade))
                .OrderBy(g => spec.Baseline.Rank(g.Key.BaselineGrade)).ThenBy(g => spec.Candidate.Rank(g.Key.CandidateGrade))
                .Select(g => new Migration(g.Key.BaselineGrade, g.Key.CandidateGrade, g.Count()))],
            new DeclinedHolds(declined.Count, declined.Sum(h => h.Amount), _holds.Count(h => h.Judged), declinedDefaulted.Count,
                declinedDefaulted.Sum(h => h.Amount),
                declined.GroupBy(h => h.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(h => h.Amount))));
    }

    private static DateTimeOffset EndOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);

    private void RateAll(int dateIndex)
    {
        var date = _dates[dateIndex];
        foreach (var account in _accounts.Values)
        {
            // What was recorded by now but takes effect later waits; what takes effect by this date counts now.
            if (account.Pending.Count > 0)
            {
                var due = account.Pending.Where(p => p.Meta.EffectiveDate <= date).ToList();
                account.Pending.RemoveAll(p => p.Meta.EffectiveDate <= date);
                foreach (var e in due)
                    account.Fold.Apply(e, date);
            }
            if (!account.Fold.Opened)
                continue;
            var inputs = account.Fold.Inputs(date);
            var baseline = RatingEngine.Rate(spec.Baseline, inputs);
            var candidate = RatingEngine.Rate(spec.Candidate, inputs);
            account.Latest = (baseline, candidate, date);
            _ratings.Add(new Rated(account.Index, dateIndex, baseline.Score, baseline.Grade, candidate.Score, candidate.Grade));
        }
    }

    /// <summary>Would the candidate's floor, as graded at the last date before the hold, have declined it?</summary>
    private void JudgeHold(AccountTrack account, CreditHoldPlaced hold)
    {
        if (account.Latest is not { } latest)
        {
            _holds.Add(new HoldJudged(account.Index, DateOnly.FromDateTime(hold.Meta.RecordedAt.UtcDateTime), hold.Amount, account.Currency, false, false));
            return;
        }
        var floor = latest.Candidate.Floor;
        var limit = hold.Decision?.CreditLimit ?? account.Fold.CreditLimit;
        var declined = floor.DeclineNewHolds
            || (floor.MaxHoldPercentOfLimit is { } share && hold.Amount > limit * share / 100m)
            || (floor.MaxSingleOrder is { } largest && hold.Amount > largest);
        _holds.Add(new HoldJudged(account.Index, DateOnly.FromDateTime(hold.Meta.RecordedAt.UtcDateTime), hold.Amount, account.Currency, declined, true));
    }

    /// <summary>Keeps what the outcome needs: each line until it is settled by its outcome date; write-off dates.</summary>
    private void TrackOutcome(AccountTrack account, AccountEvent e)
    {
        void Settle(string invoice, int line, decimal amount, DateOnly effective)
        {
            if (!account.Lines.TryGetValue((invoice, line), out var l))
                return;
            var settled = effective <= l.DueDate.AddDays(spec.OutcomeDaysPastDue) ? l.SettledByOutcome + amount : l.SettledByOutcome;
            if (settled >= l.Amount)
                account.Lines.Remove((invoice, line));
            else
                account.Lines[(invoice, line)] = l with { SettledByOutcome = settled };
        }
        switch (e)
        {
            case InvoiceIssued i:
                foreach (var line in i.Lines)
                    account.Lines[(i.InvoiceNumber, line.Line)] = (line.DueDate, line.Amount, 0m);
                break;
            case PaymentAllocated p:
                foreach (var a in p.Allocations)
                    Settle(a.InvoiceNumber, a.Line, a.Amount, p.Meta.EffectiveDate);
                break;
            case CreditNoteIssued c:
                foreach (var l in c.Lines)
                    Settle(c.InvoiceNumber, l.Line, l.Amount, c.Meta.EffectiveDate);
                break;
            case EarlyPaymentDiscountGranted d:
                foreach (var l in d.Lines)
                    Settle(d.InvoiceNumber, l.Line, l.Amount, d.Meta.EffectiveDate);
                break;
            case InvoiceLineWrittenOff w:
                account.Defaults.Add(w.Meta.EffectiveDate);
                // A written-off line defaults by the write-off, not again by its days past due.
                account.Lines.Remove((w.InvoiceNumber, w.Line));
                break;
        }
    }
}

/// <summary>How well a score separates the accounts that defaulted from those that did not (higher score: lower risk).</summary>
public static class Discrimination
{
    /// <summary>
    /// ROC AUC: the chance that an account that did not default scored above one that did (ties count half), by ranks
    /// (Mann–Whitney). Null without both outcomes.
    /// </summary>
    public static decimal? Auc(IReadOnlyList<decimal> scores, IReadOnlyList<bool> defaulted)
    {
        var (good, bad) = Counts(defaulted);
        if (good == 0 || bad == 0)
            return null;
        // The sum of the good accounts' ranks, ties given their average rank (doubled, to stay in whole numbers).
        long doubledRankSum = 0;
        foreach (var (start, end, group) in TieGroups(scores))
            doubledRankSum += ((long)(start + 1) + (end + 1)) * group.Count(i => !defaulted[i]);
        var u = doubledRankSum / 2m - (decimal)good * (good + 1) / 2m;
        return u / ((decimal)good * bad);
    }

    /// <summary>Kolmogorov–Smirnov: the largest gap between the score distributions of the good and the bad. Null without both.</summary>
    public static decimal? Ks(IReadOnlyList<decimal> scores, IReadOnlyList<bool> defaulted)
    {
        var (good, bad) = Counts(defaulted);
        if (good == 0 || bad == 0)
            return null;
        decimal goodSoFar = 0, badSoFar = 0, ks = 0;
        foreach (var (_, _, group) in TieGroups(scores))
        {
            var defaults = group.Count(i => defaulted[i]);
            (badSoFar, goodSoFar) = (badSoFar + defaults, goodSoFar + group.Length - defaults);
            ks = Math.Max(ks, Math.Abs(badSoFar / bad - goodSoFar / good));
        }
        return ks;
    }

    private static (int Good, int Bad) Counts(IReadOnlyList<bool> defaulted)
    {
        var bad = defaulted.Count(d => d);
        return (defaulted.Count - bad, bad);
    }

    /// <summary>The ratings in ascending order of score, a group per score: the first and last rank of each and the ratings in it.</summary>
    private static IEnumerable<(int Start, int End, int[] Group)> TieGroups(IReadOnlyList<decimal> scores)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
                end++;
            yield return (start, end, order[start..(end + 1)]);
            start = end + 1;
        }
    }
}
