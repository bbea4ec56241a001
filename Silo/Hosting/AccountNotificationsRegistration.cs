using Cashback.Grains.Notifications;
using Orleans.Streams;

namespace Cashback.Silo.Hosting;

public static class AccountNotificationsRegistration
{
    /// <summary>
    /// The account notification streams: Orleans memory streams, whose queues and pulling agents spread over the
    /// cluster, so a subscriber on any silo hears a grain on any other. Which silo follows which bucket (the pub-sub
    /// state) lives in PostgreSQL under the provider's own name, apart from the account state.
    /// </summary>
    public static ISiloBuilder AddAccountNotifications(this ISiloBuilder silo, string postgresConnectionString)
    {
        silo.AddPostgresGrainStorage(AccountNotificationStreams.ProviderName, postgresConnectionString);
        silo.AddMemoryStreams(AccountNotificationStreams.ProviderName, streams =>
            streams.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedOnly));
        silo.Services.AddSingleton<ICashbackNotifier, StreamCashbackNotifier>();
        return silo;
    }
}
