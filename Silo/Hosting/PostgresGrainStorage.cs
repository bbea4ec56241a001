using Cashback.Silo.Database;
using Orleans.Serialization;
using Orleans.Storage;

namespace Cashback.Silo.Hosting;

public static class PostgresGrainStorage
{
    /// <summary>Orleans ADO.NET grain storage on PostgreSQL under <paramref name="name"/>.</summary>
    public static ISiloBuilder AddPostgresGrainStorage(this ISiloBuilder silo, string name, string postgresConnectionString)
    {
        NpgsqlRegistration.Register();
        return silo.AddAdoNetGrainStorage(name, storage => storage.Configure<Serializer>((options, serializer) =>
        {
            options.Invariant = NpgsqlRegistration.Invariant;
            options.ConnectionString = postgresConnectionString;
            // Orleans' own serializer honours [Id] and [Alias], so stored state survives renames and refactors.
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        }));
    }
}
