using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Cashback.Ingestor.Kafka;
using Cashback.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Npgsql;
using YamlDotNet.RepresentationModel;

namespace Cashback.Tests.Cluster;

/// <summary>
/// No Docker engine runs the tests, so docker-compose.yml is read instead: real images, health checks, topics with
/// their partitions, and silo environment variables that bind to the application's options.
/// </summary>
public sealed partial class DockerComposeTests
{
    private static readonly YamlMappingNode Services = (YamlMappingNode)LoadCompose().Children["services"];

    [Fact]
    public void kafka_is_apache_kafka_in_kraft_mode_with_a_health_check()
    {
        var kafka = Service("kafka");
        var environment = Environment(kafka);

        Assert.StartsWith("apache/kafka:", Scalar(kafka, "image"));
        Assert.Equal(["broker", "controller"], environment["KAFKA_PROCESS_ROLES"].Split(',').Order());
        Assert.Contains("CONTROLLER", environment["KAFKA_CONTROLLER_LISTENER_NAMES"]);
        Assert.DoesNotContain(environment.Keys, key => key.Contains("ZOOKEEPER", StringComparison.Ordinal));
        Assert.Contains("INTERNAL://kafka:9092", environment["KAFKA_ADVERTISED_LISTENERS"]);
        Assert.True(kafka.Children.ContainsKey("healthcheck"));
    }

    [Fact]
    public void postgresql_is_the_official_image_with_a_health_check()
    {
        var postgres = Service("postgres");

        Assert.Matches(@"^postgres:1[5-9]", Scalar(postgres, "image"));
        Assert.Contains("pg_isready", string.Join(' ', Sequence((YamlMappingNode)postgres.Children["healthcheck"], "test")));
    }

    [Fact]
    public void the_topics_are_created_with_their_partitions_before_any_silo_starts()
    {
        var command = string.Join('\n', Sequence(Service("kafka-topics"), "command"));
        var partitions = TopicPattern().Matches(command).ToDictionary(m => m.Groups["topic"].Value, m => int.Parse(m.Groups["partitions"].Value, System.Globalization.CultureInfo.InvariantCulture));
        var kafka = new KafkaOptions();

        Assert.Equal(12, partitions[kafka.TransactionsTopic]);
        Assert.True(partitions[kafka.CashbackEventsTopic] >= 1);
        Assert.True(partitions[kafka.DeadLetterTopic] >= 1);
        Assert.Equal("service_completed_successfully", DependencyCondition(Service("silo"), "kafka-topics"));
        Assert.Equal("service_healthy", DependencyCondition(Service("silo"), "postgres"));
        Assert.Equal("service_healthy", DependencyCondition(Service("kafka-topics"), "kafka"));
    }

    [Fact]
    public void every_silo_environment_variable_binds_to_an_option_and_passes_its_validation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Environment(Service("silo")).Select(e => KeyValuePair.Create(e.Key.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)))
            .Build();
        string[] knownSections = [KafkaOptions.SectionName, SiloOptions.SectionName, "ConnectionStrings", "Urls"];

        Assert.All(configuration.GetChildren(), section => Assert.Contains(section.Key, knownSections));
        var kafka = configuration.GetSection(KafkaOptions.SectionName).Get<KafkaOptions>(o => o.ErrorOnUnknownConfiguration = true)!;
        var silo = configuration.GetSection(SiloOptions.SectionName).Get<SiloOptions>(o => o.ErrorOnUnknownConfiguration = true)!;
        Validator.ValidateObject(kafka, new ValidationContext(kafka), validateAllProperties: true);
        Validator.ValidateObject(silo, new ValidationContext(silo), validateAllProperties: true);
        Assert.Equal([PostgresConnection.Name], configuration.GetSection("ConnectionStrings").GetChildren().Select(c => c.Key));

        Assert.Equal("kafka:9092", kafka.BootstrapServers);
        Assert.True(silo.ListenOnAnyHostAddress);
        Assert.Equal("", silo.AdvertisedAddress); // each replica advertises its own container IP
        var postgres = Environment(Service("postgres"));
        var connection = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString(PostgresConnection.Name));
        Assert.Equal("postgres", connection.Host);
        Assert.Equal(postgres["POSTGRES_DB"], connection.Database);
        Assert.Equal(postgres["POSTGRES_USER"], connection.Username);
        Assert.Equal(postgres["POSTGRES_PASSWORD"], connection.Password);
    }

    [Fact]
    public void silos_can_scale_out_three_by_default_without_fixed_host_ports_or_names()
    {
        var silo = Service("silo");

        Assert.Equal("3", Scalar((YamlMappingNode)silo.Children["deploy"], "replicas"));
        Assert.False(silo.Children.ContainsKey("container_name"));
        var ports = Sequence(silo, "ports");
        Assert.All(ports, port => Assert.DoesNotContain(":", port));
        var httpPort = new Uri(Environment(silo)["Urls"].Replace("0.0.0.0", "localhost", StringComparison.Ordinal)).Port;
        Assert.Contains(httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture), ports);
        Assert.True(TimeSpanOf(Scalar(silo, "stop_grace_period")) > new KafkaOptions().DrainTimeout);
    }

    [Fact]
    public void the_silo_image_is_built_from_the_dotnet_10_images_with_time_zones()
    {
        var build = (YamlMappingNode)Service("silo").Children["build"];
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryRoot(), Scalar(build, "dockerfile")));

        Assert.Equal(".", Scalar(build, "context"));
        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", dockerfile);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", dockerfile);
        Assert.Contains("tzdata", dockerfile);
        Assert.Contains("""ENTRYPOINT ["dotnet", "Cashback.Silo.dll"]""", dockerfile);
    }

    private static YamlMappingNode LoadCompose()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryRoot(), "docker-compose.yml"));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cashback.Orleans.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("No Cashback.Orleans.sln above " + AppContext.BaseDirectory);
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services.Children[name];

    private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[key]).Value!;

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        node.Children[key] switch
        {
            YamlSequenceNode items => [.. items.Children.Select(i => ((YamlScalarNode)i).Value!)],
            YamlScalarNode single => [single.Value!],
            var other => throw new InvalidOperationException($"{key} is a {other.NodeType}"),
        };

    private static Dictionary<string, string> Environment(YamlMappingNode service) =>
        ((YamlMappingNode)service.Children["environment"]).Children
            .ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "");

    private static string DependencyCondition(YamlMappingNode service, string dependency) =>
        Scalar((YamlMappingNode)((YamlMappingNode)service.Children["depends_on"]).Children[dependency], "condition");

    private static TimeSpan TimeSpanOf(string composeDuration) =>
        composeDuration.EndsWith('s') ? TimeSpan.FromSeconds(double.Parse(composeDuration[..^1], System.Globalization.CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"Unexpected duration {composeDuration}");

    [GeneratedRegex(@"--topic\s+(?<topic>\S+)\s+--partitions\s+(?<partitions>\d+)")]
    private static partial Regex TopicPattern();
}
