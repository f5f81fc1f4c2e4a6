namespace MineGuard.PatrolBench;

/// <summary>
/// The simulated phone (issue 15): one device id per phone (X-Device-Id on every request), a bundle fetch before each
/// walk on the clock the phone had then, and the fakes only the phone can give away: one person walking for two members
/// with one phone, and a clock set back for the walk and put right before syncing.
/// </summary>
public sealed partial class PresenceRedTeam
{
    /// <summary>Each member's own phone, by member index (the Member record's equality follows its re-logged-in client).</summary>
    private readonly Dictionary<int, Guid> phones = [];
    private readonly Dictionary<Day, Guid> borrowed = [];

    /// <summary>The phone a patrol was recorded on: the member's own unless it was someone else's.</summary>
    private Guid PhoneOf(Day day)
    {
        if (borrowed.TryGetValue(day, out var other)) return other;
        if (!phones.TryGetValue(day.Member.Index, out var own)) phones[day.Member.Index] = own = Guid.NewGuid();
        return own;
    }

    /// <summary>
    /// The bundle fetch before the walk (the app downloads its plans and adits while it has signal), 5 minutes to 2 hours
    /// before the start, on the clock the phone had for the walk (a clock set back shows here).
    /// </summary>
    private Request BundleFetch(Day day, DateTime trueStart) =>
        new(trueStart.AddMinutes(-walks.U(5, 120)), day, _ => new HttpRequestMessage(HttpMethod.Get, "/api/field/bundle"),
            day.HeaderOffsetMs + day.RecordShiftMs);

    private Day? PhoneFake(string cls)
    {
        switch (cls)
        {
            case "f-two-members-one-phone":
            {
                // One person carries one phone and walks two patrols the same day, one for each member: both are doubtful.
                var owner = AnyMember();
                var index = FreeDay(owner, 0, WindowDays);
                Member other;
                do other = AnyMember(); while (other == owner || !busy.Add((other.Index, index)));
                var offset = (long)(walks.U(-3, 3) * 1000);
                var first = PhoneWalk(cls, owner, LocalDayStart(index).AddHours(walks.U(8, 10.5)), offset);
                var second = PhoneWalk(cls, other, FromMs(first.EndMs - offset).AddHours(walks.U(0.3, 1.5)), offset);
                borrowed[second] = PhoneOf(first);
                days.Add(first);
                return second;
            }
            case "f-clock-put-right":
            {
                // The clock set back for the walk (less than a couple of days, so the upload is not late), the bundle
                // fetched with it, put right before syncing: the track is clean, only the clock readings show.
                var member = AnyMember();
                var index = FreeDay(member, 0, WindowDays);
                var offset = (long)(walks.U(-3, 3) * 1000);
                var back = (long)(walks.U(0.5, 52) * 3_600_000);
                var day = new Day { Class = cls, Member = member, Adit = NewAdit(), HeaderOffsetMs = offset, RecordShiftMs = -back, Send = Send.Offline };
                Walk(day, LocalDayStart(index).AddHours(walks.U(8, 14.5)), Polar(walks.U(700, 2000)), offset - back, false, false, false);
                day.SendUtc = FromMs(day.EndMs - offset + back).AddHours(walks.U(0.3, 6));
                return day;
            }
            default:
                return null;
        }
    }

    /// <summary>A clean walk to a new adit for <paramref name="member"/>, sent as an honest phone would.</summary>
    private Day PhoneWalk(string cls, Member member, DateTime startUtc, long offsetMs)
    {
        var day = new Day { Class = cls, Member = member, Adit = NewAdit(), HeaderOffsetMs = offsetMs };
        Walk(day, startUtc, Polar(walks.U(700, 2000)), offsetMs, false, false, false);
        day.Send = random.NextDouble() < 0.4 ? Send.Offline : Send.Online;
        day.SendUtc = FromMs(day.EndMs - offsetMs).AddHours(walks.U(0.3, 8));
        return day;
    }
}
