namespace Usrv.Host;

/// <summary>
/// Reads a PIN or secret from the terminal without echoing it. When standard input is redirected (scripts, tests),
/// reads one line from it instead.
/// </summary>
public static class HiddenInput
{
    /// <summary>Shows <paramref name="prompt"/> on standard error and reads one line without echo.</summary>
    /// <exception cref="InvalidOperationException">Standard input ended before a line was read.</exception>
    public static string Read(string prompt)
    {
        Console.Error.Write(prompt);
        if (Console.IsInputRedirected)
        {
            var line = Console.In.ReadLine() ?? throw new InvalidOperationException("standard input ended before the value was given");
            Console.Error.WriteLine();
            return line;
        }
        var text = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (text.Length > 0) text.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        Console.Error.WriteLine();
        return text.ToString();
    }
}
