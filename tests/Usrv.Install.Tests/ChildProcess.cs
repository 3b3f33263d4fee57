using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Usrv.Install.Tests;

/// <summary>
/// A child process (dotnet, the installed usrv, a built app) with its output captured, every wait bounded and the
/// process tree killed when a bound passes or the test ends.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ChildProcess(Process process) => _process = process;

    /// <summary>Standard output and standard error so far, interleaved as they arrived.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>The exit code (once exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="file"/> with <paramref name="args"/> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess Start(string file, IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) child._output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return child;
    }

    /// <summary>Runs to its end within <paramref name="timeout"/>; past it the tree is killed and this throws with the output.</summary>
    public static async Task<ChildProcess> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, TimeSpan timeout)
    {
        var child = Start(file, args, workingDirectory, environment);
        if (!await child.WaitForExitAsync(timeout))
        {
            await child.DisposeAsync();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not end within {timeout}:\n{child.Output}");
        }
        return child;
    }

    /// <summary>Waits for the end; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends SIGTERM (a graceful stop), as <c>kill PID</c> does.</summary>
    public void Terminate()
    {
        if (!OperatingSystem.IsWindows()) _ = kill(_process.Id, SIGTERM);
        else _process.Kill(entireProcessTree: true);
    }

    /// <summary>Kills the process tree if it still runs.</summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // ended meanwhile
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
