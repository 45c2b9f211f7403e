"""Demo thank-yous for the demo organisation: believable words, spread over recent months, with some
appreciations and "add your thanks" comments.

``load_demo(people)`` takes the demo people by email (as ``portal.demo.services.load_demo_organisation`` returns
them) and is idempotent: it does nothing when the demo thank-yous are already there.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from sqlalchemy import select

from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.org.models import Unit
from portal.recognition.models import Post, RecognitionValue
from portal.recognition.reactions import add_comment, set_appreciation
from portal.recognition.services import ThankYou, send_thank_you


class DemoThanks(NamedTuple):
    author: str
    to: tuple[str, ...]
    days_ago: float
    what: str
    difference: str
    values: tuple[str, ...]
    visibility: str = "public"
    learning: str = ""
    team: str | None = None  # a unit name: thank everyone in it
    appreciated_by: tuple[str, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()


THANKS: list[DemoThanks] = [
    DemoThanks("claire.bennett", ("priya.shah",), 2,
               "You stayed on the line with a caller in crisis until the crisis team arrived, then made sure I was "
               "OK too.", "The caller was safe, and I could carry on with my shift.",
               ("Compassion under pressure", "Listened"), appreciated_by=("tom.brennan", "megan.lloyd", "mark.davies"),
               comments=(("aisha.rahman", "I heard some of that call. You were calm the whole way through."),)),
    DemoThanks("tom.brennan", ("kwame.mensah",), 4,
               "When the daughter of a patient who had died came to the desk, you took her to the quiet room and "
               "walked her over to the bereavement office yourself instead of giving her a phone number.",
               "She wrote in to say it was the first time anyone had treated her like a person that week.",
               ("Not passed around", "Compassion under pressure"),
               learning="Warm handovers to the bereavement office: walk people over, don't just give a number.",
               appreciated_by=("claire.bennett", "priya.shah", "fatima.begum", "rhys.morgan")),
    DemoThanks("siobhan.oneill", ("chloe.evans",), 6,
               "You rang Mr Okafor back every afternoon for a week while his wife was on the ward, even on the days "
               "when there was nothing new to tell him.", "He stopped calling the switchboard ten times a day.",
               ("Kept informed", "Easy to reach"), appreciated_by=("rachel.adeyemi",)),
    DemoThanks("mark.davies", (), 9,
               "Thank you for covering both desks during the norovirus closures. You kept the phones answered and "
               "still found time to check on each other.", "Not one complaint about waiting times that fortnight.",
               ("Timely", "Compassion under pressure"), team="South team",
               appreciated_by=("margaret.ellis", "siobhan.oneill", "harpreet.kaur")),
    DemoThanks("joanne.pearson", ("emily.fraser",), 12,
               "You read the whole 200-page record before meeting the family, so they didn't have to tell their "
               "story again.", "The family said it was the first meeting where they felt understood.",
               ("Understood", "Not passed around"), learning="Read the file first so people never repeat themselves.",
               appreciated_by=("seun.bakare", "ravi.patel")),
    DemoThanks("priya.shah", ("megan.lloyd", "rhys.morgan"), 15,
               "You both swapped shifts at no notice so I could go to my dad's hospital appointment.",
               "I didn't have to choose between work and my family.", ("Respectful",), visibility="team"),
    DemoThanks("harpreet.kaur", ("ben.cartwright",), 19,
               "A caller shouted at me for ten minutes and you quietly brought me a cup of tea and took my next two "
               "calls.", "I could breathe again before picking up the phone.", ("Compassion under pressure",),
               visibility="private"),
    DemoThanks("michelle.charlton", ("imran.akhtar",), 23,
               "You spotted that the customer was frightened of the appointment letter and sat with him to go "
               "through it line by line.", "He came to his next appointment on time and brought his CV.",
               ("Listened", "Understood"), appreciated_by=("kirsty.armstrong", "dylan.fenwick", "paul.heron"),
               comments=(("grace.nwosu", "This is exactly what good looks like."),)),
    DemoThanks("kirsty.armstrong", ("farah.ali",), 27,
               "You arranged a quiet room and a later appointment for a customer with autism without being asked.",
               "He told us it was the first time he had not left the Jobcentre in tears.",
               ("Respectful", "Easy to reach"),
               learning="Ask at booking whether a quieter time or room would help.",
               appreciated_by=("michelle.charlton", "lorraine.bell")),
    DemoThanks("lucy.chen", ("wayne.hutchinson",), 31,
               "You called the council on a customer's behalf to sort her housing benefit while she waited, instead "
               "of sending her away with a leaflet.", "She went home knowing her rent would be paid.",
               ("Not passed around", "Timely"), appreciated_by=("anthony.dodds",)),
    DemoThanks("paul.heron", (), 36,
               "Thank you for the calm, kind way you handled the day the system went down. You kept people informed "
               "every half hour and nobody was turned away.", "Customers thanked us at the door.",
               ("Kept informed", "Compassion under pressure"), team="Work coach team 1",
               appreciated_by=("gareth.pritchard", "lorraine.bell", "imran.akhtar")),
    DemoThanks("aisha.rahman", ("jack.thornton",), 40,
               "You rebuilt the PALS contact log so we can see at a glance who is waiting for a call back.",
               "Nobody waited more than a day for a call back this month.", ("Timely", "Kept informed"),
               appreciated_by=("claire.bennett", "priya.shah")),
    DemoThanks("chloe.evans", ("mohammed.iqbal",), 44,
               "You translated for a family in Urdu at the end of your shift so they could understand the discharge "
               "plan.", "They took their mother home the same day instead of staying another night.",
               ("Understood", "Easy to reach"), appreciated_by=("siobhan.oneill", "liam.doyle", "rachel.adeyemi")),
    DemoThanks("eleanor.grant", ("nadia.kowalski",), 49,
               "You ran the de-brief after the death on Ward 12 with such care. Everyone left feeling heard.",
               "Two people who were thinking of going off sick came in the next day.", ("Listened",),
               visibility="team"),
    DemoThanks("seun.bakare", ("zainab.hussain",), 53,
               "You noticed the same complaint coming in through PALS and complaints and joined them up before the "
               "family had to explain twice.", "One letter, one meeting, one apology.", ("Not passed around",),
               appreciated_by=("joanne.pearson",)),
    DemoThanks("grace.nwosu", ("stephen.milburn",), 58,
               "You stayed late to help a customer finish his Universal Credit claim because his phone had died.",
               "His first payment arrived on time.", ("Timely", "Respectful"), appreciated_by=("kirsty.armstrong",)),
    DemoThanks("rachel.adeyemi", ("liam.doyle",), 63,
               "You kept the waiting area calm when a visitor became aggressive, and made sure the other visitors "
               "felt safe.", "Security arrived to a calm room.", ("Compassion under pressure", "Respectful"),
               appreciated_by=("harpreet.kaur", "chloe.evans")),
    DemoThanks("lorraine.bell", ("bethany.scott",), 68,
               "Your session on what to say instead of reading the script out was the most useful hour of training "
               "this year.", "Three offices are using your phrases already.", ("Listened", "Understood"),
               learning="Scripts we stopped using, and what we say instead.",
               appreciated_by=("paul.heron", "anthony.dodds", "imran.akhtar", "lucy.chen")),
    DemoThanks("megan.lloyd", ("tom.brennan",), 74,
               "You phoned the ward three times to get an answer for a worried son instead of telling him to ring "
               "back.", "He knew what was happening before visiting time.", ("Kept informed", "Not passed around")),
    DemoThanks("fatima.begum", ("claire.bennett",), 80,
               "You made time for every one of your team after the difficult inquest week, even though you were "
               "exhausted too.", "The team say they felt looked after.", ("Compassion under pressure", "Listened"),
               visibility="private"),
    DemoThanks("dylan.fenwick", ("tariq.mahmood",), 86,
               "You helped a customer whose first language is Arabic fill in the form, and booked an interpreter for "
               "next time.", "He didn't need to bring his 12-year-old to translate any more.", ("Easy to reach",),
               appreciated_by=("anthony.dodds",)),
    DemoThanks("ravi.patel", ("catherine.walsh",), 93,
               "You kept a family up to date every week during a long investigation, even when the news was that "
               "there was no news.", "They told the ombudsman they had been kept informed throughout.",
               ("Kept informed", "Timely"), appreciated_by=("joanne.pearson", "emily.fraser")),
    DemoThanks("rhys.morgan", ("aisha.rahman",), 101,
               "You talked me through my first call from someone who was threatening to harm himself, and then "
               "sat with me afterwards.", "I didn't go home carrying it on my own.", ("Compassion under pressure",),
               visibility="private"),
    DemoThanks("anthony.dodds", ("lucy.chen",), 110,
               "You found a customer a warehouse job that fits around his dialysis by ringing the employer yourself.",
               "He started last Monday.", ("Understood", "Timely"),
               appreciated_by=("paul.heron", "wayne.hutchinson", "michelle.charlton")),
    DemoThanks("zainab.hussain", ("harpreet.kaur",), 118,
               "You picked up a complaint about the car park and turned it into a fix the estates team actually "
               "made.", "Blue badge holders can park by the main entrance again.", ("Not passed around",),
               appreciated_by=("mark.davies",)),
]


def load_demo(people: dict[str, User]) -> None:
    """Write the demo thank-yous (once). ``people`` maps email to the demo User."""
    by_key = {email.split("@")[0]: user for email, user in people.items()}
    if not THANKS or THANKS[0].author not in by_key:
        return
    values = {v.name: v.id for v in db.session.scalars(select(RecognitionValue))}
    if db.session.scalar(select(Post.id).where(Post.what_they_did == THANKS[0].what)) is not None:
        return
    now = utcnow()
    for item in sorted(THANKS, key=lambda t: -t.days_ago):
        when = now - timedelta(days=item.days_ago, hours=(len(item.what) % 7) + 1)
        team = db.session.scalar(select(Unit).where(Unit.name == item.team).limit(1)) if item.team else None
        post = send_thank_you(
            author=by_key[item.author], user_ids=[by_key[k].id for k in item.to], team=team, now=when,
            words=ThankYou(what_they_did=item.what, difference=item.difference, learning=item.learning,
                           value_ids=[values[name] for name in item.values if name in values],
                           visibility=item.visibility))
        for key in item.appreciated_by:
            set_appreciation(post=post, user=by_key[key], appreciated=True)
        for hours, (key, body) in enumerate(item.comments, start=3):
            comment = add_comment(post=post, author=by_key[key], body=body)
            comment.created_at = when + timedelta(hours=hours)
    db.session.flush()
