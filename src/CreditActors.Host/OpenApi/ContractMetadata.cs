namespace CreditActors.Host.OpenApi;

/// <summary>What an endpoint tells the OpenAPI document beyond its types; read by <see cref="ContractOperations"/>.</summary>
public sealed record ContractMetadata(
    bool OptionalBody = false, bool Command = false, bool Declines = false, bool Csv = false, bool EventStream = false,
    bool PagesEvents = false, bool JsonLines = false, bool Html = false, bool Xlsx = false, bool SignedLink = false,
    bool BankFile = false);

public static class ContractMetadataExtensions
{
    /// <summary>Names the operation (its operationId) and says in one line what it does.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string operationId, string summary) =>
        builder.WithName(operationId).WithSummary(summary);

    /// <summary>A command on an account: its body, and the answers every command can give (conflict, busy, correlation id).</summary>
    public static RouteHandlerBuilder Command<TBody>(this RouteHandlerBuilder builder, bool optionalBody = false, bool declines = false)
        where TBody : notnull =>
        builder.Accepts<TBody>("application/json").WithMetadata(new ContractMetadata(OptionalBody: optionalBody, Command: true, Declines: declines));

    public static RouteHandlerBuilder WithContract(this RouteHandlerBuilder builder, ContractMetadata metadata) =>
        builder.WithMetadata(metadata);
}
