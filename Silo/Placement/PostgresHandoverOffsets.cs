using Cashback.Ingestor.Kafka;
using Cashback.Ingestor.Pipeline;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cashback.Silo.Placement;

/// <summary>Handover offsets in PostgreSQL, shared by every silo of the consumer group.</summary>
public sealed class PostgresHandoverOffsets(NpgsqlDataSource database, IOptions<KafkaOptions> kafka) : IHandoverOffsets
{
    private const string SaveSql = """
        INSERT INTO cashback_handover_offsets (consumer_group, topic, partition, next_offset, updated_at)
        SELECT $1, $2, p, o, now() FROM unnest($3::integer[], $4::bigint[]) AS t (p, o)
            ON CONFLICT (consumer_group, topic, partition)
            DO UPDATE SET next_offset = GREATEST(cashback_handover_offsets.next_offset, excluded.next_offset), updated_at = excluded.updated_at
        """;

    private const string LoadSql = """
        SELECT topic, partition, next_offset FROM cashback_handover_offsets
         WHERE consumer_group = $1 AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::integer[]))
        """;

    public void Save(IReadOnlyCollection<TopicPartitionOffset> next)
    {
        foreach (var topic in next.GroupBy(n => n.Topic))
        {
            using var command = database.CreateCommand(SaveSql);
            command.Parameters.Add(new NpgsqlParameter { Value = kafka.Value.ConsumerGroup });
            command.Parameters.Add(new NpgsqlParameter { Value = topic.Key });
            command.Parameters.Add(new NpgsqlParameter { Value = topic.Select(n => n.Partition.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = topic.Select(n => n.Offset.Value).ToArray() });
            command.ExecuteNonQuery();
        }
    }

    public IReadOnlyDictionary<TopicPartition, Offset> Load(IReadOnlyCollection<TopicPartition> partitions)
    {
        var saved = new Dictionary<TopicPartition, Offset>();
        if (partitions.Count == 0)
        {
            return saved;
        }

        using var command = database.CreateCommand(LoadSql);
        command.Parameters.Add(new NpgsqlParameter { Value = kafka.Value.ConsumerGroup });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(p => p.Topic).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = partitions.Select(p => p.Partition.Value).ToArray() });
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            saved[new TopicPartition(reader.GetString(0), reader.GetInt32(1))] = reader.GetInt64(2);
        }

        return saved;
    }
}
