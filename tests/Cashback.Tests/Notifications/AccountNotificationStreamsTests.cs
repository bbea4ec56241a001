using Cashback.Grains.Notifications;

namespace Cashback.Tests.Notifications;

public sealed class AccountNotificationStreamsTests
{
    // Fixed values (FNV-1a, checked independently): a silo that hashed differently would publish where the others do not listen.
    [Theory]
    [InlineData("123", 27)]
    [InlineData("456", 60)]
    [InlineData("customer-42@example.com", 31)]
    public void the_bucket_of_an_account_is_the_same_in_every_process_and_version(string customerId, int bucket) =>
        Assert.Equal(bucket, AccountNotificationStreams.BucketOf(customerId));

    [Fact]
    public void accounts_spread_evenly_over_all_buckets()
    {
        var perBucket = Enumerable.Range(0, 64_000).GroupBy(i => AccountNotificationStreams.BucketOf($"account-{i}")).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(AccountNotificationStreams.BucketCount, perBucket.Count);
        Assert.All(perBucket.Values, count => Assert.InRange(count, 800, 1200));
    }
}
