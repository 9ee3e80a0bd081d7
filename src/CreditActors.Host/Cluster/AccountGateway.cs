using Akka.Actor;
using CreditActors.Actors.Accounts;
using CreditActors.Host.Http;

namespace CreditActors.Host.Cluster;

/// <summary>Asks an account actor through the shard region, with the configured timeout.</summary>
public sealed class AccountGateway(AkkaNode node, ApiSettings settings)
{
    /// <summary>The reply, or null when the account did not answer in time (the caller answers 503).</summary>
    public async Task<object?> AskAsync(string accountId, IAccountMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await node.AccountRegion.Ask<object>(new AccountEnvelope(accountId, message), settings.AskTimeout, cancellationToken);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
