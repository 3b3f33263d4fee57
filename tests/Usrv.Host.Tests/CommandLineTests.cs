using System.CommandLine;
using System.Reflection;
using Microsoft.Extensions.Logging;

namespace Usrv.Host.Tests;

/// <summary>usrv's command line, parsed in-process (no server is started): <c>usrv [options] BINDINGS...</c>.</summary>
public sealed class CommandLineTests
{
    private static ParseResult Parse(params string[] args) => UsrvCommand.Create().Parse(args);

    /// <summary>Invokes an action that ends at once (--version, -h, parse errors) and captures what it prints.</summary>
    private static (int ExitCode, string Output, string Error) Invoke(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = UsrvCommand.InvokeAsync(Parse(args), new InvocationConfiguration { Output = output, Error = error })
            .GetAwaiter().GetResult();
        return (exitCode, output.ToString(), error.ToString());
    }

    [Fact]
    public void Version_prints_a_version_and_exits_0()
    {
        var (exitCode, output, _) = Invoke("--version");

        // In-process, System.CommandLine prints the entry assembly's version (here the test host's); the end-to-end
        // test Usrv_version_prints_the_version_of_usrv checks that the real program prints usrv's.
        Assert.Equal(0, exitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output.Trim());
    }

    [Fact]
    public void Help_lists_usrv_options()
    {
        var (exitCode, output, _) = Invoke("-h");

        Assert.Equal(0, exitCode);
        Assert.Contains("-t, --threads", output);
        Assert.Contains("-l, --log-level", output);
        Assert.Contains("-i, --ip", output);
        Assert.Contains("-p, --port", output);
        Assert.Contains("--version", output);
        Assert.Contains("BINDINGS", output);
        Assert.Contains("--log-format", output);
        Assert.Contains("routes", output);
    }

    [Fact]
    public void Usrv04_compat_is_off_by_default_and_a_flag()
    {
        Assert.False(Parse().GetValue<bool>("--usrv04-compat"));
        Assert.True(Parse("--usrv04-compat").GetValue<bool>("--usrv04-compat"));
        Assert.Empty(Parse("--usrv04-compat", "Usrv.Samples").Errors);
        Assert.Contains("--usrv04-compat", Invoke("--help").Output);
    }

    [Fact]
    public void Log_format_is_simple_by_default_and_takes_json_but_nothing_else()
    {
        Assert.Equal("simple", Parse().GetValue<string>("--log-format"));
        Assert.Empty(Parse("--log-format", "json").Errors);

        var (exitCode, _, error) = Invoke("--log-format", "xml");

        Assert.Equal(UsrvCommand.UsageError, exitCode);
        Assert.Contains("xml", error);
    }

    [Fact]
    public void Defaults_are_usrv_defaults()
    {
        var parse = Parse();

        Assert.Empty(parse.Errors);
        Assert.Equal(8, parse.GetValue<int>("--threads"));
        Assert.Equal("20", parse.GetValue<string>("--log-level"));
        Assert.Equal(["127.0.0.1"], parse.GetValue<string[]>("--ip") ?? []);
        Assert.Equal(5000, parse.GetValue<int>("--port"));
        Assert.Empty(parse.GetValue<string[]>("BINDINGS") ?? []);
    }

    [Fact]
    public void Short_options_and_bindings_parse()
    {
        var parse = Parse("-t", "2", "-i", "::1", "-p", "5001", "Usrv.Samples", "Other");

        Assert.Empty(parse.Errors);
        Assert.Equal(2, parse.GetValue<int>("--threads"));
        Assert.Equal(["::1"], parse.GetValue<string[]>("--ip") ?? []);
        Assert.Equal(5001, parse.GetValue<int>("--port"));
        Assert.Equal(["Usrv.Samples", "Other"], parse.GetValue<string[]>("BINDINGS") ?? []);
    }

    [Fact]
    public void Ip_may_be_repeated_and_each_takes_one_address()
    {
        var parse = Parse("-i", "127.0.0.1", "-i", "::1", "-p", "5001", "Usrv.Samples");

        Assert.Empty(parse.Errors);
        Assert.Equal(["127.0.0.1", "::1"], parse.GetValue<string[]>("--ip") ?? []);
        Assert.Equal(["Usrv.Samples"], parse.GetValue<string[]>("BINDINGS") ?? []);
        Assert.Contains(Parse("-i", "127.0.0.1", "-i", "nope").Errors, e => e.Message.Contains("'nope' is not an IP address"));
    }

    [Theory]
    [InlineData("40")]
    [InlineData("warning")]
    [InlineData("WARNING")]
    [InlineData("info")]
    public void Log_level_takes_python_levels_as_numbers_or_names(string level)
    {
        var parse = Parse("-l", level);

        Assert.Empty(parse.Errors);
        Assert.Equal(level, parse.GetValue<string>("--log-level"));
    }

    [Theory]
    [InlineData("-l", "banana", "--log-level")]
    [InlineData("-p", "0", "--port")]
    [InlineData("-p", "70000", "--port")]
    [InlineData("-t", "0", "--threads")]
    [InlineData("-i", "localhost:80", "--ip")]
    public void A_bad_value_is_a_usage_error_naming_the_option(string option, string value, string name)
    {
        Assert.NotEmpty(Parse(option, value).Errors);

        var (exitCode, _, error) = Invoke(option, value);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(name, error);
    }

    [Theory]
    [InlineData("--bogus")]
    [InlineData("--bogus", "Usrv.Samples")]
    [InlineData("Usrv.Samples", "-x")]
    public void An_unknown_option_is_a_usage_error_not_an_assembly_name(params string[] args)
    {
        var (exitCode, _, error) = Invoke(args);

        Assert.Equal(2, exitCode);
        Assert.Contains($"unknown option '{args.First(a => a.StartsWith('-'))}'", error);
        Assert.DoesNotContain("not found", error);
    }

    [Fact]
    public void Max_connections_takes_a_positive_count()
    {
        Assert.Empty(Parse("--max-connections", "10").Errors);
        Assert.NotEmpty(Parse("--max-connections", "0").Errors);
    }

    [Fact]
    public void A_bad_log_level_error_says_which_levels_exist()
    {
        var (exitCode, _, error) = Invoke("-l", "banana");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'banana' is not a level", error);
        Assert.Contains("10, 20, 30, 40, 50", error);
    }

    [Theory]
    [InlineData("10", LogLevel.Debug)]
    [InlineData("20", LogLevel.Information)]
    [InlineData("30", LogLevel.Warning)]
    [InlineData("40", LogLevel.Error)]
    [InlineData("50", LogLevel.Critical)]
    [InlineData("25", LogLevel.Information)] // between two levels: rounds down, as Python's logging does
    [InlineData("0", LogLevel.Trace)]        // NOTSET
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("critical", LogLevel.Critical)]
    public void Python_log_levels_map_to_dotnet_levels(string text, LogLevel expected)
    {
        Assert.True(PythonLogLevel.TryParse(text, out var level));
        Assert.Equal(expected, level);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("")]
    public void Unknown_log_levels_are_refused(string text) => Assert.False(PythonLogLevel.TryParse(text, out _));
}
