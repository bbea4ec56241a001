using System.Net;
using System.Text;
using Cashback.Grains.Placement;
using Cashback.Ingestor.Kafka;
using Cashback.Ingestor.Placement;
using Cashback.Silo.Placement;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime.Placement;

namespace Cashback.Tests.Placement;

public sealed class PartitionAlignedPlacementDirectorTests
{
    private static readonly SiloAddress Here = Silo(1);
    private static readonly SiloAddress There = Silo(2);
    private static readonly SiloAddress Gone = Silo(3);

    private readonly PartitionOwnership _ownership = new(new PartitionActivations(NullLogger<PartitionActivations>.Instance));

    [Fact]
    public async Task a_grain_called_from_a_partition_this_silo_consumes_is_activated_here()
    {
        Consume(4);
        _ownership.UpdateOwners(new Dictionary<int, SiloAddress> { [4] = Here, [5] = There });

        Assert.Equal(Here, await PlaceAsync("acct-1", fromPartition: 4));
    }

    [Fact]
    public async Task a_grain_called_from_a_partition_another_silo_consumes_is_activated_there()
    {
        Consume(4);
        _ownership.UpdateOwners(new Dictionary<int, SiloAddress> { [4] = Here, [5] = There });

        Assert.Equal(There, await PlaceAsync("acct-1", fromPartition: 5));
    }

    [Fact]
    public async Task a_grain_called_from_outside_the_ingestor_goes_to_the_consumer_of_its_keys_partition()
    {
        var partitionOfKey = Murmur2Partitioner.PartitionOf(Encoding.UTF8.GetBytes("acct-42"), 12);
        _ownership.UpdateOwners(Enumerable.Range(0, 12).ToDictionary(p => p, p => p == partitionOfKey ? There : Here));

        Assert.Equal(There, await PlaceAsync("acct-42", fromPartition: null));
    }

    [Fact]
    public async Task a_partition_whose_consumer_left_the_cluster_keeps_its_grain_here_until_a_new_consumer_calls()
    {
        _ownership.UpdateOwners(new Dictionary<int, SiloAddress> { [7] = Gone });

        Assert.Equal(Here, await PlaceAsync("acct-1", fromPartition: 7));
    }

    [Fact]
    public async Task with_no_owners_known_a_grain_is_activated_here()
    {
        Assert.Equal(Here, await PlaceAsync("acct-1", fromPartition: null));
    }

    [Fact]
    public async Task a_placement_hint_from_orleans_wins_over_the_partition()
    {
        Consume(4);

        Assert.Equal(There, await PlaceAsync("acct-1", fromPartition: 4, hint: There));
    }

    private void Consume(params int[] partitions) => ((IPartitionAssignmentObserver)_ownership).Assigned(partitions);

    private Task<SiloAddress> PlaceAsync(string account, int? fromPartition, SiloAddress? hint = null)
    {
        var requestContext = new Dictionary<string, object>();
        if (fromPartition is { } partition)
        {
            requestContext[IngestorCallContext.OriginKey] = new IngestorCallOrigin(partition, "an-ingestor");
        }

        if (hint is not null)
        {
            requestContext[IPlacementDirector.PlacementHintKey] = hint;
        }

        var target = new PlacementTarget(GrainId.Create("cashback-account", account), requestContext, default, 0);
        return new PartitionAlignedPlacementDirector(_ownership).OnAddActivation(new PartitionAlignedPlacement(), target, new TwoSiloCluster());
    }

    private static SiloAddress Silo(int number) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + number), number);

    /// <summary>This silo and one other are active; <see cref="Gone"/> is not a member any more.</summary>
    private sealed class TwoSiloCluster : IPlacementContext
    {
        public SiloAddress LocalSilo => Here;

        public SiloStatus LocalSiloStatus => SiloStatus.Active;

        public SiloAddress[] GetCompatibleSilos(PlacementTarget target) => [Here, There];

        public IReadOnlyDictionary<ushort, SiloAddress[]> GetCompatibleSilosWithVersions(PlacementTarget target) =>
            new Dictionary<ushort, SiloAddress[]> { [0] = [Here, There] };
    }
}
