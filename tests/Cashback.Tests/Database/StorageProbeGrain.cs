namespace Cashback.Tests.Database;

/// <summary>A minimal grain whose only job is to round-trip its state through a named grain storage.</summary>
[Alias("cashback.tests.IStorageProbeGrain")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    Task RememberAsync(string value);

    Task<string?> RecallAsync();

    Task ForgetAsync();
}

[GenerateSerializer, Alias("cashback.tests.StorageProbeState")]
public sealed class StorageProbeState
{
    [Id(0)]
    public string? Value { get; set; }
}

public sealed class StorageProbeGrain(
    [PersistentState("probe", StorageProbeGrain.StorageName)] IPersistentState<StorageProbeState> state)
    : Grain, IStorageProbeGrain
{
    public const string StorageName = "postgres-probe";

    async Task IStorageProbeGrain.RememberAsync(string value)
    {
        state.State.Value = value;
        await state.WriteStateAsync();
    }

    Task<string?> IStorageProbeGrain.RecallAsync() => Task.FromResult(state.State.Value);

    Task IStorageProbeGrain.ForgetAsync() => state.ClearStateAsync();
}
