using System.Net.Sockets;
using Cashback.Silo.LocalMode;
using Cashback.Tests.Infrastructure;

namespace Cashback.Tests.Database;

public sealed class ThrowawayPostgresTests
{
    [Fact]
    public async Task a_throwaway_server_answers_queries_and_leaves_nothing_behind_once_disposed()
    {
        var server = await ThrowawayPostgres.StartAsync(logger: null, CancellationToken.None);
        string directory;
        int port;
        try
        {
            directory = server.RootDirectory;
            port = server.Port;

            Assert.Equal("cashback", await Sql.ScalarAsync<string>(server.ConnectionString, "SELECT current_database()"));
            Assert.True(await Sql.ScalarAsync<int>(server.ConnectionString, "SELECT current_setting('server_version_num')::int") >= 150000);
            Assert.Equal("on", await Sql.ScalarAsync<string>(server.ConnectionString, "SHOW fsync"));
            Assert.Equal("127.0.0.1", await Sql.ScalarAsync<string>(server.ConnectionString, "SHOW listen_addresses"));
            Assert.True(Directory.Exists(directory));
        }
        finally
        {
            await server.DisposeAsync();
        }

        Assert.False(Directory.Exists(directory));
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
    }

    [Fact]
    public async Task databases_created_on_a_throwaway_server_are_isolated_from_each_other()
    {
        await using var server = await ThrowawayPostgres.StartAsync(new ThrowawayPostgresOptions { Fsync = false }, logger: null, CancellationToken.None);
        var first = await server.CreateDatabaseAsync("first_db");
        var second = await server.CreateDatabaseAsync("second_db");

        await Sql.ExecuteAsync(first, "CREATE TABLE only_in_first (id int)");

        Assert.Equal("first_db", await Sql.ScalarAsync<string>(first, "SELECT current_database()"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(second, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_first'"));
        await Assert.ThrowsAsync<ArgumentException>(() => server.CreateDatabaseAsync("Robert'); DROP TABLE students;--"));
    }
}
