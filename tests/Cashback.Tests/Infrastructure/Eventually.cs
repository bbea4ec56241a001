namespace Cashback.Tests.Infrastructure;

/// <summary>Waits on a condition with a deadline: the tests' only way to wait for asynchronous work.</summary>
public static class Eventually
{
    public static async Task<T> ReachesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        T last;
        do
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Timed out after {within} waiting for {what}; last value: {last}");
    }
}
