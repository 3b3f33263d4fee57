namespace Usrv.Plugins.Tests;

/// <summary>A clock that says what it is told: <see cref="Now"/>.</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>The time this clock gives.</summary>
    public DateTimeOffset Now { get; set; } = now;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => Now;
}
