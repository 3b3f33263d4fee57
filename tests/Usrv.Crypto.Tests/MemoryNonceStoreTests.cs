namespace Usrv.Crypto.Tests;

public class MemoryNonceStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Records_once_per_sender_and_nonce()
    {
        var store = new MemoryNonceStore(time: new FakeTimeProvider(Start));

        Assert.Equal(NonceRecordResult.Recorded, store.Record("a", "n1", Start.AddSeconds(10)));
        Assert.Equal(NonceRecordResult.Replayed, store.Record("a", "n1", Start.AddSeconds(10)));
        Assert.True(store.TryRecord("b", "n1", Start.AddSeconds(10)));
        Assert.False(store.TryRecord("b", "n1", Start.AddSeconds(10)));
    }

    [Fact]
    public void When_full_it_drops_expired_entries_first_else_refuses()
    {
        var time = new FakeTimeProvider(Start);
        var store = new MemoryNonceStore(capacity: 3, time);
        store.Record("a", "1", Start.AddSeconds(1));
        store.Record("a", "2", Start.AddSeconds(5));
        store.Record("a", "3", Start.AddSeconds(5));

        Assert.Equal(NonceRecordResult.Full, store.Record("a", "4", Start.AddSeconds(5)));
        Assert.Equal(3, store.Count);

        time.Advance(TimeSpan.FromSeconds(2)); // "1" has expired
        Assert.Equal(NonceRecordResult.Recorded, store.Record("a", "4", Start.AddSeconds(5)));
        Assert.Equal(NonceRecordResult.Full, store.Record("a", "5", Start.AddSeconds(5)));
        Assert.Equal(NonceRecordResult.Replayed, store.Record("a", "2", Start.AddSeconds(5)));

        time.Advance(TimeSpan.FromSeconds(10)); // all expired
        Assert.Equal(NonceRecordResult.Recorded, store.Record("a", "5", Start.AddSeconds(30)));
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryNonceStore(0));
    }

    [Fact]
    public void Concurrent_TryRecord_records_each_nonce_exactly_once()
    {
        var store = new MemoryNonceStore(time: new FakeTimeProvider(Start));
        const int nonces = 200;
        const int threads = 8;
        var wins = new int[nonces];
        using var gate = new Barrier(threads);

        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            gate.SignalAndWait();
            for (var i = 0; i < nonces; i++)
            {
                if (store.TryRecord("sender", "nonce-" + i, Start.AddSeconds(10)))
                {
                    Interlocked.Increment(ref wins[i]);
                }
            }
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());

        Assert.All(wins, count => Assert.Equal(1, count));
        Assert.Equal(nonces, store.Count);
    }
}
