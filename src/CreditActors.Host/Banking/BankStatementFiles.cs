using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using CreditActors.Domain.Banking;
using CreditActors.Domain.Money;
using CsvHelper;

namespace CreditActors.Host.Banking;

/// <summary>A bank statement file read: the account and currency it is for, and its credits (debits are left out).</summary>
public sealed record BankStatementFile(string Format, string StatementAccount, string Currency, IReadOnlyList<BankTransaction> Credits, int DebitsLeftOut,
    string ContentHash);

/// <summary>Why a file cannot be taken: the place in it (an element, a row and column) and the reason.</summary>
public sealed class BankFileException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// Reads bank statement files: ISO 20022 camt.053 (BankToCustomerStatement, versions 001.02 to 001.13) and CSV exports
/// read with a configured <see cref="CsvProfile"/>. A file is taken whole or not at all: the first thing wrong in it
/// refuses it, naming where.
/// </summary>
public static class BankStatementFiles
{
    public const string Camt053 = "camt.053";
    public const string Csv = "csv";
    private const string CamtNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.";

    public static string HashOf(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static BankStatementFile ReadCamt053(byte[] content)
    {
        XDocument document;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(content), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new BankFileException("file", $"the file is not well-formed XML: {e.Message}");
        }
        var root = document.Root!;
        var ns = root.Name.Namespace;
        if (root.Name.LocalName != "Document" || !ns.NamespaceName.StartsWith(CamtNamespacePrefix, StringComparison.Ordinal))
            throw new BankFileException("file",
                $"the file is not a camt.053 statement: its root is {{{ns.NamespaceName}}}{root.Name.LocalName}, expected Document in a {CamtNamespacePrefix}NN namespace");
        var statements = root.Element(ns + "BkToCstmrStmt")?.Elements(ns + "Stmt").ToList() ?? [];
        if (statements.Count == 0)
            throw new BankFileException("BkToCstmrStmt.Stmt", "the file has no statement (BkToCstmrStmt/Stmt)");
        string? account = null, currency = null;
        var credits = new List<BankTransaction>();
        var debits = 0;
        for (var s = 0; s < statements.Count; s++)
        {
            var statement = statements[s];
            var acct = statement.Element(ns + "Acct");
            var id = acct?.Element(ns + "Id");
            var thisAccount = (id?.Element(ns + "IBAN")?.Value ?? id?.Element(ns + "Othr")?.Element(ns + "Id")?.Value)?.Trim();
            var thisCurrency = acct?.Element(ns + "Ccy")?.Value.Trim();
            var at = $"Stmt[{s}]";
            if (string.IsNullOrEmpty(thisAccount))
                throw new BankFileException($"{at}.Acct.Id", "the statement names no account (Acct/Id/IBAN or Acct/Id/Othr/Id)");
            if (account is not null && account != thisAccount)
                throw new BankFileException($"{at}.Acct.Id", $"the file holds statements of two accounts ({account}, {thisAccount}); import one account's file at a time");
            account = thisAccount;
            var entries = statement.Elements(ns + "Ntry").ToList();
            for (var n = 0; n < entries.Count; n++)
            {
                var entry = entries[n];
                var where = $"{at}.Ntry[{n}]";
                var indicator = entry.Element(ns + "CdtDbtInd")?.Value.Trim();
                if (indicator is not ("CRDT" or "DBIT"))
                    throw new BankFileException($"{where}.CdtDbtInd", "each entry needs CdtDbtInd CRDT or DBIT");
                var status = entry.Element(ns + "Sts") is { } sts ? (sts.Element(ns + "Cd")?.Value ?? sts.Value).Trim() : "BOOK";
                if (indicator == "DBIT" || status != "BOOK")
                {
                    debits += indicator == "DBIT" ? 1 : 0;
                    continue; // debits are not customers' payments; pending and information entries are not booked yet
                }
                var (entryAmount, entryCurrency) = Amount(entry.Element(ns + "Amt"), $"{where}.Amt");
                thisCurrency ??= entryCurrency;
                if (entryCurrency != thisCurrency)
                    throw new BankFileException($"{where}.Amt", $"the entry is in {entryCurrency}, the account in {thisCurrency}");
                if (currency is not null && currency != thisCurrency)
                    throw new BankFileException($"{where}.Amt", $"the file mixes {currency} and {thisCurrency}");
                currency = thisCurrency;
                var date = Date(entry.Element(ns + "BookgDt") ?? entry.Element(ns + "ValDt"), $"{where}.BookgDt");
                var entryReference = entry.Element(ns + "AcctSvcrRef")?.Value.Trim();
                var details = entry.Elements(ns + "NtryDtls").SelectMany(d => d.Elements(ns + "TxDtls")).ToList();
                if (details.Count == 0)
                {
                    credits.Add(new BankTransaction(
                        entryReference is { Length: > 0 } ? entryReference : throw new BankFileException($"{where}.AcctSvcrRef", "the entry has no bank reference (AcctSvcrRef)"),
                        date, entryAmount, entryCurrency, null, null, entry.Element(ns + "AddtlNtryInf")?.Value.Trim()));
                    continue;
                }
                var sum = 0m;
                for (var t = 0; t < details.Count; t++)
                {
                    var tx = details[t];
                    var txAt = $"{where}.NtryDtls.TxDtls[{t}]";
                    var amountElement = tx.Element(ns + "Amt") ?? tx.Element(ns + "AmtDtls")?.Element(ns + "TxAmt")?.Element(ns + "Amt");
                    var (amount, txCurrency) = amountElement is null && details.Count == 1 ? (entryAmount, entryCurrency) : Amount(amountElement, $"{txAt}.Amt");
                    if (txCurrency != entryCurrency)
                        throw new BankFileException($"{txAt}.Amt", $"the transaction is in {txCurrency}, its entry in {entryCurrency}");
                    sum += amount;
                    var refs = tx.Element(ns + "Refs");
                    var reference = refs?.Element(ns + "AcctSvcrRef")?.Value.Trim() is { Length: > 0 } own ? own
                        : entryReference is { Length: > 0 } ? details.Count == 1 ? entryReference : $"{entryReference}-{t + 1}"
                        : throw new BankFileException($"{txAt}.Refs.AcctSvcrRef", "the transaction has no bank reference (Refs/AcctSvcrRef, or its entry's)");
                    var parties = tx.Element(ns + "RltdPties");
                    var debtor = parties?.Element(ns + "Dbtr");
                    var payerName = (debtor?.Element(ns + "Nm") ?? debtor?.Element(ns + "Pty")?.Element(ns + "Nm"))?.Value.Trim();
                    var payerId = parties?.Element(ns + "DbtrAcct")?.Element(ns + "Id");
                    var payerAccount = (payerId?.Element(ns + "IBAN")?.Value ?? payerId?.Element(ns + "Othr")?.Element(ns + "Id")?.Value)?.Trim();
                    var remittance = tx.Element(ns + "RmtInf") is { } rmt
                        ? string.Join(" ", rmt.Elements(ns + "Ustrd").Select(u => u.Value.Trim())
                            .Concat(rmt.Descendants(ns + "CdtrRefInf").Select(r => r.Element(ns + "Ref")?.Value.Trim() ?? ""))
                            .Concat(rmt.Descendants(ns + "RfrdDocInf").Select(r => r.Element(ns + "Nb")?.Value.Trim() ?? ""))
                            .Where(x => x.Length > 0))
                        : null;
                    credits.Add(new BankTransaction(reference, date, amount, txCurrency, payerName, payerAccount, remittance));
                }
                if (sum != entryAmount)
                    throw new BankFileException($"{where}.NtryDtls", $"the entry's transactions add up to {sum}, the entry to {entryAmount}");
            }
            currency ??= thisCurrency;
        }
        if (currency is null)
            throw new BankFileException("Stmt[0].Acct.Ccy", "the statement states no currency (Acct/Ccy) and has no entries to tell it");
        return new BankStatementFile(Camt053, account!, currency, credits, debits, HashOf(content));
    }

    private static (decimal Amount, string Currency) Amount(XElement? element, string at)
    {
        if (element is null)
            throw new BankFileException(at, "the amount is missing");
        var code = element.Attribute("Ccy")?.Value.Trim() ?? "";
        if (!Currency.TryFind(code, out var currency))
            throw new BankFileException(at, $"{(code.Length == 0 ? "the amount has no currency (Ccy)" : $"{code} is not a currency the ledger keeps")}");
        if (!decimal.TryParse(element.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            throw new BankFileException(at, $"'{element.Value.Trim()}' is not an amount (digits and a decimal point)");
        if (currency.Problem(amount) is { } problem)
            throw new BankFileException(at, $"the amount {element.Value.Trim()} {problem}");
        return (amount, code);
    }

    private static DateOnly Date(XElement? element, string at)
    {
        var text = (element?.Element(element.Name.Namespace + "Dt")?.Value ?? element?.Element(element.Name.Namespace + "DtTm")?.Value)?.Trim();
        if (text is null)
            throw new BankFileException(at, "the entry has no booking date (BookgDt/Dt or BookgDt/DtTm)");
        if (text.Length >= 10 && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        throw new BankFileException(at, $"'{text}' is not a date (YYYY-MM-DD)");
    }

    public static BankStatementFile ReadCsv(byte[] content, CsvProfile profile)
    {
        var currency = Currency.Find(profile.Currency);
        var credits = new List<BankTransaction>();
        var debits = 0;
        try
        {
            using var csv = CsvReader.Create(content, new CsvReaderOptions
            {
                Separator = profile.Separator,
                MalformedData = CsvMalformedDataHandling.Throw,
                FieldCountMismatch = CsvFieldCountHandling.Throw,
                TrimWhitespace = true,
                TrackLineNumbers = true,
            });
            csv.ReadHeader();
            int Index(string? column, string role, bool required)
            {
                if (column is null)
                    return -1;
                if (csv.TryGetFieldIndex(column, out var index))
                    return index;
                return required
                    ? throw new BankFileException("file", $"the file has no column '{column}' ({role}), which profile {profile.Name} reads; its columns are {string.Join(", ", csv.Headers)}")
                    : -1;
            }
            var reference = Index(profile.Reference, "the bank reference", true);
            var date = Index(profile.Date, "the booking date", true);
            var amount = Index(profile.Amount, "the signed amount", true);
            var credit = Index(profile.Credit, "the credit amount", true);
            var currencyColumn = Index(profile.CurrencyColumn, "the currency", true);
            var payerName = Index(profile.PayerName, "the payer's name", false);
            var payerAccount = Index(profile.PayerAccount, "the payer's account", false);
            var remittance = Index(profile.Remittance, "the remittance text", false);
            while (csv.Read())
            {
                var row = csv.RowNumber;
                string? Text(int index) => index < 0 || csv.IsEmpty(index) ? null : csv.GetString(index).Trim();
                var rawAmount = Text(amount >= 0 ? amount : credit);
                if (rawAmount is null && credit >= 0)
                {
                    debits++;
                    continue; // a row with no credit is a debit
                }
                var column = amount >= 0 ? profile.Amount! : profile.Credit!;
                if (rawAmount is null || !decimal.TryParse(rawAmount, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands,
                        CultureInfo.InvariantCulture, out var value))
                    throw new BankFileException($"row {row}.{column}", $"row {row}: '{rawAmount}' is not an amount");
                if (value <= 0m)
                {
                    debits++;
                    continue;
                }
                if (currency.Problem(value) is { } problem)
                    throw new BankFileException($"row {row}.{column}", $"row {row}: the amount {rawAmount} {problem}");
                if (Text(currencyColumn) is { } code && code != profile.Currency)
                    throw new BankFileException($"row {row}.{profile.CurrencyColumn}", $"row {row} is in {code}; profile {profile.Name} is for an account in {profile.Currency}");
                var bankReference = Text(reference) ?? throw new BankFileException($"row {row}.{profile.Reference}", $"row {row} has no bank reference");
                var rawDate = Text(date);
                if (!DateOnly.TryParseExact(rawDate, profile.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var booked))
                    throw new BankFileException($"row {row}.{profile.Date}", $"row {row}: '{rawDate}' is not a date as {profile.DateFormat}");
                credits.Add(new BankTransaction(bankReference, booked, value, profile.Currency, Text(payerName), Text(payerAccount), Text(remittance)));
            }
        }
        catch (CsvFormatException e)
        {
            throw new BankFileException(e.LineNumber > 0 ? $"line {e.LineNumber}" : "file", $"the file is not valid CSV: {e.Message}");
        }
        return new BankStatementFile(Csv, profile.StatementAccount, profile.Currency, credits, debits, HashOf(content));
    }

}
