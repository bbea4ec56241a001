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
        {
            streams.ConfigureStreamPubSub(StreamPubSubType.ExplicitGrainBasedOnly);
            // Subscribers read live notifications within moments, and a client that missed some resumes from the audit
            // table (Last-Event-ID). Orleans' defaults keep every message 5 to 30 minutes: at 2,000 credits a second,
            // hundreds of megabytes that only grow with traffic.
            streams.ConfigureCacheEviction(options => options.Configure(eviction =>
            {
                eviction.DataMinTimeInCache = TimeSpan.FromSeconds(10);
                eviction.DataMaxAgeInCache = TimeSpan.FromSeconds(20);
            }));
        });
        silo.Services.AddSingleton<ICashbackNotifier, StreamCashbackNotifier>();
        return silo;
    }
}
