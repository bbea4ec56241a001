using Cashback.Grains.Placement;
using Cashback.Ingestor.Pipeline;
using Cashback.Ingestor.Placement;

namespace Cashback.Silo.Placement;

public static class PlacementRegistration
{
    /// <summary>
    /// Partition-aligned placement of account grains inside a silo: the director, the call filter and what they know
    /// of this silo's partitions. Without <see cref="AddPartitionCoordination"/> a silo knows only its own.
    /// </summary>
    public static ISiloBuilder AddPartitionAlignedPlacement(this ISiloBuilder silo)
    {
        var services = silo.Services;
        services.AddSingleton<PartitionActivations>();
        services.AddSingleton<PartitionOwnership>();
        services.AddSingleton<IPartitionAssignmentObserver>(sp => sp.GetRequiredService<PartitionOwnership>());
        services.AddSingleton<AccountCallLocality>();
        silo.AddPlacementDirector<PartitionAlignedPlacement, PartitionAlignedPlacementDirector>();
        silo.AddIncomingGrainCallFilter<AccountCallFilter>();
        return silo;
    }

    /// <summary>
    /// Shares partition ownership and handover offsets with the other silos through PostgreSQL and reports call
    /// locality. Register it before the ingestor: hosted services stop in reverse order, so it withdraws this silo's
    /// rows after the last release.
    /// </summary>
    public static IServiceCollection AddPartitionCoordination(this IServiceCollection services)
    {
        services.AddSingleton<IHandoverOffsets, PostgresHandoverOffsets>();
        services.AddHostedService<PartitionOwnerRegistry>();
        services.AddHostedService<AccountCallLocalityReport>();
        return services;
    }
}
