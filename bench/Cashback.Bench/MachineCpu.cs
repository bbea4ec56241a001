using System.Globalization;

namespace Cashback.Bench;

/// <summary>
/// The whole machine's CPU time from <c>/proc/stat</c>, to read a measurement against what else the machine did: on a
/// virtual machine the hypervisor may take ("steal") CPU time from it, which slows every process in it alike.
/// </summary>
public readonly record struct MachineCpu(long Busy, long Idle, long Steal)
{
    public static MachineCpu Read()
    {
        // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is already in user)
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return new MachineCpu(Busy: fields[0] + fields[1] + fields[2] + fields[5] + fields[6], Idle: fields[3] + fields[4], Steal: fields[7]);
    }

    public static MachineCpu operator -(MachineCpu after, MachineCpu before) =>
        new(after.Busy - before.Busy, after.Idle - before.Idle, after.Steal - before.Steal);

    private long Total => Busy + Idle + Steal;

    /// <summary>Share of the machine's CPU time its own processes used.</summary>
    public double BusyShare => Total == 0 ? 0 : (double)Busy / Total;

    /// <summary>Share of the machine's CPU time the hypervisor gave to something else.</summary>
    public double StolenShare => Total == 0 ? 0 : (double)Steal / Total;
}
