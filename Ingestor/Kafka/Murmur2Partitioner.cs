namespace Cashback.Ingestor.Kafka;

/// <summary>
/// The partition Kafka's Java client (and librdkafka's <c>murmur2_random</c>) gives a keyed message:
/// <c>(murmur2(key) &amp; 0x7fffffff) % partitions</c>. Our producers use the same partitioner, so a silo can tell which
/// partition carries an account from its id alone.
/// </summary>
public static class Murmur2Partitioner
{
    private const uint Seed = 0x9747b28c;
    private const uint Multiplier = 0x5bd1e995;
    private const int Shift = 24;

    public static int PartitionOf(ReadOnlySpan<byte> key, int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        return (int)(Hash(key) & 0x7fffffff) % partitions;
    }

    /// <summary>Kafka's 32-bit murmur2 of <paramref name="data"/>, as the unsigned bits of Java's <c>Utils.murmur2</c>.</summary>
    public static uint Hash(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        var h = Seed ^ (uint)length;
        var blocks = length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = (uint)(data[4 * i] | data[(4 * i) + 1] << 8 | data[(4 * i) + 2] << 16 | data[(4 * i) + 3] << 24);
            k *= Multiplier;
            k ^= k >> Shift;
            k *= Multiplier;
            h *= Multiplier;
            h ^= k;
        }

        var tail = length & ~3;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)data[tail + 2] << 16;
                goto case 2;
            case 2:
                h ^= (uint)data[tail + 1] << 8;
                goto case 1;
            case 1:
                h ^= data[tail];
                h *= Multiplier;
                break;
        }

        h ^= h >> 13;
        h *= Multiplier;
        h ^= h >> 15;
        return h;
    }
}
