namespace Cashback.Tests.Infrastructure;

/// <summary>Test classes marked <c>[Collection(PostgresCollection.Name)]</c> receive a <see cref="PostgresServerFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture>
{
    public const string Name = "PostgreSQL";
}
