using Microsoft.AspNetCore.Authorization;

namespace CreditActors.Host.Security;

/// <summary>The roles an API key can carry. admin is allowed everywhere.</summary>
public static class Roles
{
    public const string OrderSystem = "order-system";
    public const string Finance = "finance";
    public const string CreditManager = "credit-manager";
    public const string Auditor = "auditor";
    public const string Analyst = "analyst";

    /// <summary>Chases late payers: records contacts, promises and disputes, reads the accounts and the worklist; moves no money.</summary>
    public const string Collector = "collector";
    /// <summary>Runs the service: scrapes its metrics. Reads no account.</summary>
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [OrderSystem, Finance, CreditManager, Auditor, Analyst, Collector, Operator, Admin];

    /// <summary>Everyone who may read an account's figures and ledger.</summary>
    public static readonly string[] Readers = [OrderSystem, Finance, CreditManager, Auditor, Analyst, Collector];

    /// <summary>Roles that see contact details (email, phone, address, tax id) unmasked.</summary>
    public static readonly string[] ContactReaders = [Finance, CreditManager, Auditor, Collector, Admin];

    /// <summary>Requires one of the roles (or admin) on an endpoint.</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizeAttribute { Roles = string.Join(",", roles.Append(Admin).Distinct()) });
}
