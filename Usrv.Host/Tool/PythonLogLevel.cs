using Microsoft.Extensions.Logging;

namespace Usrv.Host;

/// <summary>
/// Reads usrv's <c>-l/--log-level</c>: Python logging levels as numbers (10 DEBUG, 20 INFO, 30 WARNING,
/// 40 ERROR, 50 CRITICAL; values between round down) or names (Python's or .NET's, any case).
/// </summary>
public static class PythonLogLevel
{
    /// <summary>Parses <paramref name="text"/> to a <see cref="LogLevel"/>.</summary>
    /// <returns>False when the text is neither a known name nor a number.</returns>
    public static bool TryParse(string text, out LogLevel level)
    {
        if (int.TryParse(text, out var number))
        {
            level = number switch
            {
                <= 0 => LogLevel.Trace,
                < 20 => LogLevel.Debug,
                < 30 => LogLevel.Information,
                < 40 => LogLevel.Warning,
                < 50 => LogLevel.Error,
                _ => LogLevel.Critical,
            };
            return true;
        }
        switch (text.Trim().ToLowerInvariant())
        {
            case "notset" or "trace": level = LogLevel.Trace; return true;
            case "debug": level = LogLevel.Debug; return true;
            case "info" or "information": level = LogLevel.Information; return true;
            case "warning" or "warn": level = LogLevel.Warning; return true;
            case "error": level = LogLevel.Error; return true;
            case "critical" or "fatal": level = LogLevel.Critical; return true;
            case "none" or "off": level = LogLevel.None; return true;
            default: level = default; return false;
        }
    }
}
