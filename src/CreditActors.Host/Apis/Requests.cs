using System.ComponentModel.DataAnnotations;
using CreditActors.Domain.Accounts;

namespace CreditActors.Host.Apis;

// Request bodies. Every field is nullable so that a missing one is reported by name, not as a type error. [Required] and
// [MaxLength] state in the OpenAPI document what the handlers and the domain enforce; they do not enforce anything here.

public sealed record OpenAccountRequest(
    [property: Required] string? AccountId,
    [property: Required, MaxLength(200)] string? Name,
    [property: Required, StringLength(3, MinimumLength = 3)] string? Currency,
    [property: Required] decimal? CreditLimit,
    [property: Required, Range(0, CreditAccount.MaximumPaymentTermsDays)] int? PaymentTermsDays,
    [property: MaxLength(200)] string? Contact = null,
    [property: MaxLength(50)] string? Phone = null,
    [property: MaxLength(254)] string? Email = null,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Address = null,
    [property: MaxLength(100)] string? Industry = null,
    [property: MaxLength(50)] string? TaxId = null,
    [property: AllowedValues("strategic", "standard", "watch", null)] string? Tier = null,
    [property: MaxLength(2000)] string? Notes = null,
    [property: MaxLength(64)] string? TimeZone = null);

public sealed record UpdateProfileRequest(
    [property: MaxLength(200)] string? Name = null,
    [property: MaxLength(200)] string? Contact = null,
    [property: MaxLength(50)] string? Phone = null,
    [property: MaxLength(254)] string? Email = null,
    [property: MaxLength(CreditAccount.MaximumTextLength)] string? Address = null,
    [property: MaxLength(100)] string? Industry = null,
    [property: MaxLength(50)] string? TaxId = null,
    [property: AllowedValues("strategic", "standard", "watch", null)] string? Tier = null,
    [property: MaxLength(2000)] string? Notes = null);

public sealed record CreditLimitRequest(
    [property: Required] decimal? CreditLimit,
    [property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason);

public sealed record ReasonRequest([property: MaxLength(CreditAccount.MaximumTextLength)] string? Reason = null);

/// <summary>Why the personal data is erased (the data subject's request, its reference): recorded with who asked.</summary>
public sealed record ErasureRequest([property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason);

public sealed record BlockRequest([property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason);

public sealed record CreditCheckRequest([property: Required] decimal? Amount);

public sealed record PlaceHoldRequest(
    [property: Required] string? HoldId,
    [property: Required] decimal? Amount,
    DateTimeOffset? ExpiresAt = null,
    [property: MaxLength(CreditAccount.MaximumOrderReferenceLength)] string? OrderReference = null);

public sealed record InstallmentRequestBody([property: Required] DateOnly? DueDate, [property: Required] decimal? Amount);

public sealed record DiscountRequestBody(
    [property: Required, Range(0.01, 99.99)] decimal? Percent,
    [property: Required, Range(0, CreditAccount.MaximumPaymentTermsDays)] int? WithinDays);

public sealed record IssueInvoiceRequest(
    [property: Required] string? InvoiceNumber,
    [property: Required] decimal? Amount,
    [property: Required] DateOnly? IssueDate,
    DateOnly? DueDate = null,
    [property: MinLength(1), MaxLength(CreditAccount.MaximumInstallments)] IReadOnlyList<InstallmentRequestBody>? Installments = null,
    DiscountRequestBody? Discount = null,
    string? HoldId = null);

public sealed record AllocationRequestBody([property: Required] string? InvoiceNumber, [property: Range(1, int.MaxValue)] int? Line,
    [property: Required] decimal? Amount);

public sealed record ReceivePaymentRequest(
    [property: Required] string? PaymentReference,
    [property: Required] decimal? Amount,
    [property: Required] DateOnly? ReceivedDate,
    [property: MaxLength(CreditAccount.MaximumAllocations)] IReadOnlyList<AllocationRequestBody>? Allocations = null);

public sealed record CreditNoteRequest(
    [property: Required] string? CreditNoteNumber,
    [property: Required] string? InvoiceNumber,
    [property: Required] decimal? Amount,
    [property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason,
    [property: Range(1, int.MaxValue)] int? Line = null,
    DateOnly? EffectiveDate = null);

public sealed record WriteOffRequest(
    [property: Required] string? WriteOffId,
    [property: Required] string? InvoiceNumber,
    [property: Required, MaxLength(CreditAccount.MaximumTextLength)] string? Reason,
    [property: Range(1, int.MaxValue)] int? Line = null,
    decimal? Amount = null,
    DateOnly? EffectiveDate = null);
