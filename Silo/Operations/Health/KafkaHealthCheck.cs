using Cashback.Ingestor.Kafka;
using Confluent.Kafka;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Cashback.Silo.Operations.Health;

/// <summary>Ready only while the Kafka cluster answers a metadata request (what a consumer needs before anything else).</summary>
public sealed class KafkaHealthCheck(KafkaClients clients, IOptions<KafkaOptions> options) : IHealthCheck, IDisposable
{
    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(3);

    private readonly Lazy<IAdminClient> _admin = new(clients.CreateAdminClient);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // GetMetadata blocks; keep it off the request thread.
            var metadata = await Task.Run(() => _admin.Value.GetMetadata(MetadataTimeout), cancellationToken);
            if (metadata.Brokers.Count == 0)
            {
                return HealthCheckResult.Unhealthy("Kafka answered without any broker.");
            }

            var topic = options.Value.TransactionsTopic;
            var partitions = metadata.Topics.Find(t => t.Topic == topic)?.Partitions.Count ?? 0;
            return HealthCheckResult.Healthy(
                $"{metadata.Brokers.Count} broker(s); topic '{topic}' has {partitions} partition(s).",
                new Dictionary<string, object> { ["brokers"] = metadata.Brokers.Count, ["transactionsPartitions"] = partitions });
        }
        catch (KafkaException error)
        {
            return HealthCheckResult.Unhealthy($"Kafka does not answer: {error.Error.Reason}", error);
        }
    }

    public void Dispose()
    {
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }
    }
}
