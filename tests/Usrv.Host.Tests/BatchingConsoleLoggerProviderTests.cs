using Usrv.Route;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Usrv.Host.Tests;

public class BatchingConsoleLoggerProviderTests
{
    [Fact]
    public void Lines_are_written_in_the_simple_console_format_and_none_is_lost_at_dispose()
    {
        var output = new StringWriter();
        using (var provider = new BatchingConsoleLoggerProvider(output, TimeSpan.FromHours(1)))
        {
            var log = provider.CreateLogger(AccessLog.Category);
            for (int i = 0; i < 1000; i++) log.LogInformation("line {Number}", i);
            log.LogError(new InvalidOperationException("boom"), "failed");
        }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1001, lines.Length);
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d info: Usrv\.Access\[0\] line 0$"), lines[0]);
        Assert.EndsWith("line 999", lines[999]);
        Assert.StartsWith("fail: Usrv.Access[0] failed System.InvalidOperationException: boom", lines[1000][20..]);
    }

    [Fact]
    public async Task Lines_are_flushed_at_the_interval_without_waiting_for_dispose()
    {
        var output = new StringWriter();
        using var provider = new BatchingConsoleLoggerProvider(TextWriter.Synchronized(output), TimeSpan.FromMilliseconds(20));
        provider.CreateLogger("Usrv.Host").LogWarning("soon");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!output.ToString().Contains("soon") && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Contains("warn: Usrv.Host[0] soon", output.ToString());
    }
}

public class JsonConsoleLinesTests
{
    [Fact]
    public void The_json_provider_writes_one_json_object_per_line_with_the_message_values_and_the_exception()
    {
        var output = new StringWriter();
        using (var provider = BatchingConsoleLoggerProvider.Json(output, TimeSpan.FromHours(1)))
        {
            var log = provider.CreateLogger(AccessLog.Category);
            log.LogInformation("line {Number}", 7);
            log.LogError(new InvalidOperationException("boom\nsecond line"), "failed");
        }

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using var first = System.Text.Json.JsonDocument.Parse(lines[0]);
        var entry = first.RootElement;
        Assert.Equal("Information", entry.GetProperty("LogLevel").GetString());
        Assert.Equal(AccessLog.Category, entry.GetProperty("Category").GetString());
        Assert.Equal("line 7", entry.GetProperty("Message").GetString());
        Assert.Equal(7, entry.GetProperty("State").GetProperty("Number").GetInt32());
        Assert.EndsWith("Z", entry.GetProperty("Timestamp").GetString()); // UTC
        using var second = System.Text.Json.JsonDocument.Parse(lines[1]);
        Assert.StartsWith("System.InvalidOperationException: boom\nsecond line", second.RootElement.GetProperty("Exception").GetString());
    }
}
