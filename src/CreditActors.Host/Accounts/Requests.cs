namespace CreditActors.Host.Accounts;

// Request bodies. Every field is nullable so that a missing one is reported by name, not as a type error.

public sealed record OpenAccountRequest(
    string? AccountId, string? Name, string? Currency, decimal? CreditLimit, int? PaymentTermsDays,
    string? Contact = null, string? Phone = null, string? Email = null, string? Address = null,
    string? Industry = null, string? TaxId = null, string? Tier = null, string? Notes = null);

public sealed record UpdateProfileRequest(
    string? Name = null, string? Contact = null, string? Phone = null, string? Email = null, string? Address = null,
    string? Industry = null, string? TaxId = null, string? Tier = null, string? Notes = null);

public sealed record CreditLimitRequest(decimal? CreditLimit, string? Reason);

public sealed record ReasonRequest(string? Reason = null);

public sealed record CreditCheckRequest(decimal? Amount);

public sealed record PlaceHoldRequest(string? HoldId, decimal? Amount, DateTimeOffset? ExpiresAt = null, string? OrderReference = null);

public sealed record InstallmentRequestBody(DateOnly? DueDate, decimal? Amount);

public sealed record DiscountRequestBody(decimal? Percent, int? WithinDays);

public sealed record IssueInvoiceRequest(
    string? InvoiceNumber, decimal? Amount, DateOnly? IssueDate, DateOnly? DueDate = null,
    IReadOnlyList<InstallmentRequestBody>? Installments = null, DiscountRequestBody? Discount = null, string? HoldId = null);

public sealed record AllocationRequestBody(string? InvoiceNumber, int? Line, decimal? Amount);

public sealed record ReceivePaymentRequest(
    string? PaymentReference, decimal? Amount, DateOnly? ReceivedDate, IReadOnlyList<AllocationRequestBody>? Allocations = null);

public sealed record CreditNoteRequest(
    string? CreditNoteNumber, string? InvoiceNumber, decimal? Amount, string? Reason, int? Line = null, DateOnly? EffectiveDate = null);

public sealed record WriteOffRequest(
    string? WriteOffId, string? InvoiceNumber, string? Reason, int? Line = null, decimal? Amount = null, DateOnly? EffectiveDate = null);
