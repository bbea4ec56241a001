using Cashback.Ingestor.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cashback.Silo.Placement;

/// <summary>
/// Shares partition ownership between silos through PostgreSQL: every second this silo writes the partitions its
/// ingestor consumes (taking over rows other silos left behind) and reads everyone's into <see cref="PartitionOwnership"/>.
/// Off the hot path: placement only reads the in-memory copy. Rows of a silo that died stay until their partitions'
/// new consumers claim them; placement ignores owners that are not active cluster members.
/// </summary>
public sealed partial class PartitionOwnerRegistry(
    NpgsqlDataSource database,
    PartitionOwnership ownership,
    ILocalSiloDetails silo,
    IOptions<KafkaOptions> kafka,
    TimeProvider time,
    ILogger<PartitionOwnerRegistry> logger) : BackgroundService
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    private const string ClaimSql = """
        INSERT INTO cashback_partition_owners (consumer_group, topic, partition, silo_address, updated_at)
        SELECT $1, $2, p, $3, now() FROM unnest($4::integer[]) AS p
            ON CONFLICT (consumer_group, topic, partition)
            DO UPDATE SET silo_address = excluded.silo_address, updated_at = excluded.updated_at
        """;

    private const string WithdrawSql = """
        DELETE FROM cashback_partition_owners
         WHERE consumer_group = $1 AND topic = $2 AND silo_address = $3 AND NOT (partition = ANY($4))
        """;

    private const string ReadSql = "SELECT partition, silo_address FROM cashback_partition_owners WHERE consumer_group = $1 AND topic = $2";

    private readonly string _self = silo.SiloAddress.ToParsableString();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, time);
        var failing = false;
        do
        {
            try
            {
                await SynchroniseAsync(ownership.ConsumedHere, stoppingToken);
                failing = false;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // Placement keeps the last known owners meanwhile; warn once per outage.
                if (!failing)
                {
                    RegistryUnreachable(logger, error.Message);
                }

                failing = true;
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // The ingestor stopped before us and released everything: withdraw our rows.
            await SynchroniseAsync([], cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or OperationCanceledException)
        {
            RegistryUnreachable(logger, error.Message);
        }
    }

    private async Task SynchroniseAsync(IReadOnlyCollection<int> consumedHere, CancellationToken cancellationToken)
    {
        var (group, topic) = (kafka.Value.ConsumerGroup, kafka.Value.TransactionsTopic);
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection))
        {
            foreach (var sql in (string[])[WithdrawSql, ClaimSql])
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(sql)
                {
                    Parameters = { new() { Value = group }, new() { Value = topic }, new() { Value = _self }, new() { Value = consumedHere.ToArray() } },
                });
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var read = new NpgsqlCommand(ReadSql, connection) { Parameters = { new() { Value = group }, new() { Value = topic } } };
        await using var reader = await read.ExecuteReaderAsync(cancellationToken);
        var owners = new Dictionary<int, SiloAddress>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owners[reader.GetInt32(0)] = SiloAddress.FromParsableString(reader.GetString(1));
        }

        ownership.UpdateOwners(owners);
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition owner registry unreachable, placement uses the last known owners: {Reason}")]
    private static partial void RegistryUnreachable(ILogger logger, string reason);
}
