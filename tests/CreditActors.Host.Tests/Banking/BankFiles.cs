using System.Globalization;
using System.Text;

namespace CreditActors.Host.Tests.Banking;

/// <summary>Bank statement files as banks send them, for the reconciliation tests.</summary>
internal static class BankFiles
{
    public sealed record Entry(string Reference, string Date, decimal Amount, string Payer, string? PayerAccount, string Remittance,
        string Indicator = "CRDT", string Currency = "CNY");

    public const string CamtNamespace = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08";

    public static string Camt053(IEnumerable<Entry> entries, string ns = CamtNamespace, string accountCurrency = "CNY")
    {
        var xml = new StringBuilder($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="{ns}">
              <BkToCstmrStmt>
                <GrpHdr><MsgId>STMT-20261130-001</MsgId><CreDtTm>2026-11-30T18:00:00+08:00</CreDtTm></GrpHdr>
                <Stmt>
                  <Id>1001-202611</Id>
                  <CreDtTm>2026-11-30T18:00:00+08:00</CreDtTm>
                  <Acct><Id><Othr><Id>1001200012345678</Id></Othr></Id><Ccy>{accountCurrency}</Ccy><Nm>Operating account</Nm></Acct>
                  <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="{accountCurrency}">100000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-11-01</Dt></Dt></Bal>

            """);
        foreach (var e in entries)
        {
            var payerAccount = e.PayerAccount is null ? "" : $"<DbtrAcct><Id><Othr><Id>{e.PayerAccount}</Id></Othr></Id></DbtrAcct>";
            var amount = e.Amount.ToString("0.00####", CultureInfo.InvariantCulture);
            xml.Append($"""
                      <Ntry>
                        <Amt Ccy="{e.Currency}">{amount}</Amt><CdtDbtInd>{e.Indicator}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
                        <BookgDt><Dt>{e.Date}</Dt></BookgDt><ValDt><Dt>{e.Date}</Dt></ValDt><AcctSvcrRef>{e.Reference}</AcctSvcrRef>
                        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                        <NtryDtls><TxDtls>
                          <Refs><AcctSvcrRef>{e.Reference}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
                          <RltdPties><Dbtr><Pty><Nm>{e.Payer}</Nm></Pty></Dbtr>{payerAccount}</RltdPties>
                          <RmtInf><Ustrd>{e.Remittance}</Ustrd></RmtInf>
                        </TxDtls></NtryDtls>
                      </Ntry>

                """);
        }
        xml.Append("""
                </Stmt>
              </BkToCstmrStmt>
            </Document>
            """);
        return xml.ToString();
    }

    public static string Csv(IEnumerable<Entry> entries)
    {
        var csv = new StringBuilder("Reference,Booking date,Amount,Currency,Payer,Payer account,Remittance\n");
        foreach (var e in entries)
            csv.Append(CultureInfo.InvariantCulture,
                $"{e.Reference},{e.Date},{(e.Indicator == "DBIT" ? -e.Amount : e.Amount).ToString("0.00####", CultureInfo.InvariantCulture)},{e.Currency},\"{e.Payer}\",{e.PayerAccount},\"{e.Remittance}\"\n");
        return csv.ToString();
    }
}
