namespace Usrv.Crypto.Tests;

public class NonceTests
{
    [Fact]
    public void Format_is_usrvs_isoformat_with_microseconds()
    {
        var instant = new DateTimeOffset(2026, 11, 22, 3, 17, 17, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        Assert.Equal("2026-11-22T01:17:17.123456+00:00", Nonce.Format(instant));
        Assert.Equal("2026-11-22T01:00:00.000000+00:00", Nonce.Format(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-11-22T01:17:17.123456+00:00", 1_234_560)]
    [InlineData("2026-11-22T01:17:17+00:00", 0)]
    [InlineData("2026-11-22T01:17:17Z", 0)]
    [InlineData("2026-11-22T01:17:17.1Z", 1_000_000)]
    [InlineData("2026-11-22T03:17:17.1234567+02:00", 1_234_567)]
    [InlineData("2026-11-21T20:17:17.5-05:00", 5_000_000)]
    public void TryParse_accepts_iso_8601_with_offset(string text, long fractionTicks)
    {
        Assert.True(Nonce.TryParse(text, out var instant));
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 17, 17, TimeSpan.Zero).AddTicks(fractionTicks), instant);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2026-11-22T01:17:17")]
    [InlineData("2026-11-22 01:17:17+00:00")]
    [InlineData("2026-13-22T01:17:17+00:00")]
    [InlineData("1732238237")]
    public void TryParse_refuses_anything_else(string? text)
    {
        Assert.False(Nonce.TryParse(text, out _));
        Assert.False(Nonce.TryParse(new string('9', 65), out _));
    }

    [Fact]
    public void Format_round_trips_through_TryParse()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(Nonce.TryParse(Nonce.Format(now), out var parsed));
        Assert.True((now - parsed).Duration() < TimeSpan.FromMilliseconds(0.001));
    }
}
