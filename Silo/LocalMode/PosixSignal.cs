using System.Runtime.InteropServices;

namespace Cashback.Silo.LocalMode;

/// <summary>Sends a POSIX signal to another process: SIGTERM asks a silo to stop gracefully, SIGKILL does not ask.</summary>
public static partial class PosixSignal
{
    public const int Terminate = 15;
    public const int Kill = 9;

    public static void Send(int processId, int signal)
    {
        if (SendSignal(processId, signal) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new InvalidOperationException($"Could not send signal {signal} to process {processId} (errno {errno}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int SendSignal(int processId, int signal);
}
