using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Usrv.Host.Tests;

/// <summary>
/// The real <c>usrv</c> program run as a child process (<c>dotnet usrv.dll ARGS</c>, the usrv.dll that the test project's
/// reference to Usrv.Host copies next to the tests), with its output captured and every wait bounded.
/// </summary>
public sealed class UsrvProcess : IAsyncDisposable
{
    private const int SIGTERM = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _error = new();

    private UsrvProcess(Process process) => _process = process;

    /// <summary>The usrv.dll next to the tests.</summary>
    public static string UsrvDll => Path.Combine(AppContext.BaseDirectory, "usrv.dll");

    /// <summary>The folder of the nearest <c>usrv.path</c> above the tests (the repository root), where <c>usrv BINDINGS</c> is run from.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "usrv.path"))) return folder.FullName;
            }
            throw new InvalidOperationException($"no usrv.path above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>Everything written to standard output so far, one entry per line.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    /// <summary>Everything written to standard error so far, one entry per line.</summary>
    public IReadOnlyList<string> Error => [.. _error];

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet usrv.dll <paramref name="args"/></c> in <paramref name="workingDirectory"/>.</summary>
    public static UsrvProcess Start(string workingDirectory, params string[] args) =>
        Start(workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>
    /// Starts <c>dotnet usrv.dll <paramref name="args"/></c> in <paramref name="workingDirectory"/> with
    /// <paramref name="environment"/> added to the child's environment (a <c>null</c> value removes the variable);
    /// the test process's own environment is not changed.
    /// </summary>
    public static UsrvProcess Start(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        start.ArgumentList.Add(UsrvDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = new Process { StartInfo = start };
        var usrv = new UsrvProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) usrv._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) usrv._error.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return usrv;
    }

    /// <summary>Waits until <c>HEAD /</c> answers 200 at <paramref name="baseAddress"/>; fails if the process ends or <paramref name="timeout"/> passes first.</summary>
    public async Task WaitUntilServingAsync(Uri baseAddress, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        await WaitUntilServingAsync(client, timeout);
    }

    /// <summary>
    /// Waits until <c>HEAD /</c> through <paramref name="client"/> (its <see cref="HttpClient.BaseAddress"/> set; e.g. one
    /// that trusts a test certificate for HTTPS) answers 200; fails if the process ends or <paramref name="timeout"/> passes first.
    /// </summary>
    public async Task WaitUntilServingAsync(HttpClient client, TimeSpan timeout)
    {
        var baseAddress = client.BaseAddress;
        using var deadline = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"usrv exited with {_process.ExitCode} before serving: {string.Join('\n', Error)}");
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, "/");
                using var response = await client.SendAsync(request, deadline.Token);
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                // that one try timed out
            }
            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"usrv did not answer HEAD {baseAddress} within {timeout.TotalSeconds} s; stderr: {string.Join('\n', Error)}");
            }
        }
    }

    /// <summary>Sends SIGTERM, as a service manager would to stop it.</summary>
    public void Terminate()
    {
        if (kill(_process.Id, SIGTERM) != 0) throw new InvalidOperationException($"kill -TERM {_process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to end (and its output to be read); returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"usrv did not exit within {timeout.TotalSeconds} s; stdout: {string.Join('\n', Output)}");
        }
        return _process.ExitCode;
    }

    /// <summary>Kills the process if it is still running.</summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
