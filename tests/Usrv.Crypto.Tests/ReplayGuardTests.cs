namespace Usrv.Crypto.Tests;

public class ReplayGuardTests
{
    private const string Alice = "alice-key";
    private const string Bob = "bob-key";
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly ReplayGuard _guard;

    public ReplayGuardTests() => _guard = new ReplayGuard(new MemoryNonceStore(time: _time), time: _time);

    [Fact]
    public void A_fresh_nonce_is_accepted_once()
    {
        var nonce = Nonce.Format(Start);

        _guard.Check(Alice, nonce);
        var replay = Assert.Throws<EnvelopeException>(() => _guard.Check(Alice, nonce));

        Assert.Equal(412, replay.Status);
        Assert.Contains("replayed", replay.Message);
    }

    [Fact]
    public void The_same_instant_written_another_way_is_still_a_replay()
    {
        _guard.Check(Alice, "2026-11-22T01:00:00.000000+00:00");

        Assert.Equal(412, Assert.Throws<EnvelopeException>(() => _guard.Check(Alice, "2026-11-22T01:00:00Z")).Status);
        Assert.Equal(412, Assert.Throws<EnvelopeException>(() => _guard.Check(Alice, "2026-11-22T02:00:00+01:00")).Status);
    }

    [Fact]
    public void Another_sender_may_use_the_same_nonce()
    {
        var nonce = Nonce.Format(Start);

        _guard.Check(Alice, nonce);
        _guard.Check(Bob, nonce);
    }

    [Fact]
    public void A_nonce_older_than_the_window_is_stale()
    {
        _guard.Check(Alice, Nonce.Format(Start.AddSeconds(-10))); // exactly at the edge: accepted

        var error = Assert.Throws<EnvelopeException>(() => _guard.Check(Alice, Nonce.Format(Start.AddSeconds(-10.001))));

        Assert.Equal(412, error.Status);
        Assert.Contains("stale", error.Message);
    }

    [Fact]
    public void A_nonce_more_than_the_window_ahead_is_refused()
    {
        _guard.Check(Alice, Nonce.Format(Start.AddSeconds(9)));

        var error = Assert.Throws<EnvelopeException>(() => _guard.Check(Alice, Nonce.Format(Start.AddSeconds(10.5))));

        Assert.Equal(412, error.Status);
        Assert.Contains("future", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a time")]
    [InlineData("2026-11-22T01:00:00")]
    public void An_unparseable_nonce_is_412(string? nonce)
    {
        var error = Assert.Throws<EnvelopeException>(() => _guard.Check(Alice, nonce));

        Assert.Equal(412, error.Status);
        Assert.Contains("ISO-8601", error.Message);
    }

    [Fact]
    public void A_replay_after_the_window_is_stale_rather_than_remembered_forever()
    {
        var store = new MemoryNonceStore(time: _time);
        var guard = new ReplayGuard(store, time: _time);
        var nonce = Nonce.Format(Start);
        guard.Check(Alice, nonce);

        _time.Advance(TimeSpan.FromSeconds(11));

        Assert.Contains("stale", Assert.Throws<EnvelopeException>(() => guard.Check(Alice, nonce)).Message);
        guard.Check(Alice, Nonce.Format(_time.GetUtcNow()));
        Assert.Equal(1, store.Count); // the first entry expired and was dropped
    }

    [Fact]
    public void The_window_can_be_changed()
    {
        var guard = new ReplayGuard(new MemoryNonceStore(time: _time), TimeSpan.FromSeconds(60), _time);

        guard.Check(Alice, Nonce.Format(Start.AddSeconds(-59)));

        Assert.Equal(60, guard.Window.TotalSeconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard(new MemoryNonceStore(), TimeSpan.Zero));
    }

    [Fact]
    public void A_full_store_is_503_not_a_silent_accept()
    {
        var guard = new ReplayGuard(new MemoryNonceStore(capacity: 2, time: _time), time: _time);
        guard.Check(Alice, Nonce.Format(Start));
        guard.Check(Alice, Nonce.Format(Start.AddTicks(10)));

        var error = Assert.Throws<EnvelopeException>(() => guard.Check(Alice, Nonce.Format(Start.AddTicks(20))));

        Assert.Equal(503, error.Status);
        Assert.Contains("full", error.Message);
    }

    [Fact]
    public void A_custom_store_with_only_TryRecord_works()
    {
        var guard = new ReplayGuard(new SetStore(), time: _time);
        guard.Check(Alice, Nonce.Format(Start));

        Assert.Contains("replayed", Assert.Throws<EnvelopeException>(() => guard.Check(Alice, Nonce.Format(Start))).Message);
    }

    private sealed class SetStore : INonceStore
    {
        private readonly HashSet<string> _seen = [];

        public bool TryRecord(string senderIdentity, string nonce, DateTimeOffset expiresAt) => _seen.Add(senderIdentity + " " + nonce);
    }
}
