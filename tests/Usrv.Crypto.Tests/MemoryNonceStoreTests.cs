namespace Usrv.Crypto.Tests;

public class MemoryNonceStoreTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 19, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private static NonceKey Key(PublicKey sender, double seconds = 0) => new(sender, Start.AddSeconds(seconds));

    [Fact]
    public void Records_once_per_sender_and_instant()
    {
        var store = new MemoryNonceStore();
        using var a = PrivateKey.Generate();
        using var b = PrivateKey.Generate();
        Assert.Equal(NonceRecordResult.Recorded, store.Record(Key(a.PublicKey), Start + Window, Start));
        Assert.Equal(NonceRecordResult.Replayed, store.Record(Key(a.PublicKey), Start + Window, Start));
        Assert.Equal(NonceRecordResult.Recorded, store.Record(Key(b.PublicKey), Start + Window, Start));
        Assert.Equal(NonceRecordResult.Recorded, store.Record(Key(a.PublicKey, 0.000001), Start + Window, Start));
    }

    [Fact]
    public void When_full_it_forgets_expired_entries_first_else_refuses()
    {
        var store = new MemoryNonceStore(capacity: 2);
        using var a = PrivateKey.Generate();
        Assert.Equal(NonceRecordResult.Recorded, store.Record(Key(a.PublicKey, 0), Start + Window, Start));
        Assert.Equal(NonceRecordResult.Recorded, store.Record(Key(a.PublicKey, 1), Start.AddSeconds(1) + Window, Start));
        Assert.Equal(NonceRecordResult.Full, store.Record(Key(a.PublicKey, 2), Start.AddSeconds(2) + Window, Start.AddSeconds(2)));

        // 11 s later the first entry has expired: room for one more, never by evicting a live entry.
        var later = Start.AddSeconds(11);
        Assert.Equal(NonceRecordResult.Recorded, store.Record(Key(a.PublicKey, 10), Start.AddSeconds(10) + Window, later));
        Assert.Equal(NonceRecordResult.Full, store.Record(Key(a.PublicKey, 10.5), Start.AddSeconds(10.5) + Window, later));
        Assert.Equal(2, store.Count);
    }

    [Fact]
    public void The_default_capacity_outlasts_the_servers_own_verification_rate()
    {
        var capacity = MemoryNonceStore.DefaultCapacity(Window);
        Assert.Equal(Environment.ProcessorCount * MemoryNonceStore.VerificationsPerSecondPerCore * 20, capacity);
        Assert.Equal(capacity, new MemoryNonceStore().Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryNonceStore(0));
    }

    [Fact]
    public void Concurrent_records_of_one_key_succeed_exactly_once()
    {
        var store = new MemoryNonceStore();
        using var a = PrivateKey.Generate();
        var key = Key(a.PublicKey);
        var results = new NonceRecordResult[64];
        Parallel.For(0, results.Length, i => results[i] = store.Record(key, Start + Window, Start));
        Assert.Equal(1, results.Count(r => r == NonceRecordResult.Recorded));
    }
}
