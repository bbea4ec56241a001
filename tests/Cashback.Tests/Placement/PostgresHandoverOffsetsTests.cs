using Cashback.Ingestor.Kafka;
using Cashback.Silo.Placement;
using Cashback.Tests.Infrastructure;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cashback.Tests.Placement;

[Collection(PostgresCollection.Name)]
public sealed class PostgresHandoverOffsetsTests(PostgresServerFixture postgres)
{
    [Fact]
    public async Task offsets_left_by_one_consumer_are_found_by_the_next_and_never_move_back()
    {
        await using var database = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var offsets = new PostgresHandoverOffsets(database, Options.Create(new KafkaOptions()));
        var p1 = new TopicPartition("transactions", 1);
        var p2 = new TopicPartition("transactions", 2);

        offsets.Save([new TopicPartitionOffset(p1, 120), new TopicPartitionOffset(p2, 40)]);
        offsets.Save([new TopicPartitionOffset(p1, 100)]);

        var found = offsets.Load([p1, p2, new TopicPartition("transactions", 3)]);
        Assert.Equal(2, found.Count);
        Assert.Equal(120, found[p1].Value);
        Assert.Equal(40, found[p2].Value);
    }

    [Fact]
    public async Task another_consumer_group_does_not_see_the_offsets()
    {
        await using var database = NpgsqlDataSource.Create(await postgres.CreateMigratedDatabaseAsync());
        var partition = new TopicPartition("transactions", 0);
        new PostgresHandoverOffsets(database, Options.Create(new KafkaOptions { ConsumerGroup = "one" }))
            .Save([new TopicPartitionOffset(partition, 7)]);

        var found = new PostgresHandoverOffsets(database, Options.Create(new KafkaOptions { ConsumerGroup = "other" })).Load([partition]);

        Assert.Empty(found);
    }
}
