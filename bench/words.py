"""The words the benchmark data is made of: names, units, job titles, thank-yous, comments and notes that read like
an NHS trust's (so pages are as long as real ones and search finds what people would type)."""

FIRST_NAMES = (
    "Aisha", "Amelia", "Amir", "Anna", "Ben", "Bethan", "Chloe", "Chidi", "Daniel", "Deborah", "Dylan", "Eilidh",
    "Emma", "Farah", "Fatima", "Gareth", "Grace", "Hannah", "Harry", "Ifeoma", "Imran", "Isla", "Jack", "James",
    "Jasmine", "Joanne", "Kate", "Kwame", "Laura", "Leon", "Lucy", "Mark", "Mei", "Mohammed", "Nadia", "Niamh",
    "Oliver", "Olu", "Priya", "Rachel", "Rhys", "Rosa", "Sam", "Sanjay", "Sarah", "Siân", "Sofia", "Tom", "Tariq",
    "Wei", "Yusuf", "Zara", "Zoë", "Ewan", "Aled", "Catrin", "Marta", "Piotr", "Agnieszka", "Kofi",
)
LAST_NAMES = (
    "Ahmed", "Ali", "Allen", "Baker", "Begum", "Bennett", "Brown", "Campbell", "Chen", "Clarke", "Davies", "Edwards",
    "Evans", "Green", "Griffiths", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Jones", "Khan", "Kaur",
    "Kowalski", "Lewis", "Lloyd", "MacDonald", "Martin", "Mensah", "Morgan", "Morris", "Nowak", "O'Brien", "Okafor",
    "Owen", "Patel", "Phillips", "Price", "Roberts", "Robinson", "Shah", "Singh", "Smith", "Taylor", "Thomas",
    "Thompson", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wood", "Wright", "Young",
    "Ó Súilleabháin", "Adeyemi", "Nguyen",
)
JOB_TITLES = (
    "Staff nurse", "Healthcare assistant", "PALS officer", "Patient experience lead", "Ward clerk", "Receptionist",
    "Physiotherapist", "Occupational therapist", "Pharmacist", "Porter", "Domestic assistant", "Junior doctor",
    "Consultant", "Midwife", "Paramedic", "Call handler", "Complaints officer", "Medical secretary",
    "Team leader", "Service manager", "Radiographer", "Biomedical scientist", "Dietitian", "Social worker",
)
DIRECTORATES = (
    "Medicine", "Surgery", "Women and Children", "Patient Experience", "Community Services", "Mental Health",
    "Diagnostics", "Corporate Services", "Estates and Facilities", "Emergency Care", "Cancer Services",
    "Therapies", "Pharmacy", "Outpatients", "Critical Care", "Workforce", "Digital", "Finance", "Research",
    "Learning and Development",
)
SERVICE_KINDS = ("wards", "clinics", "outpatients", "day unit", "community team", "admin hub", "liaison service",
                 "assessment unit", "rehabilitation", "contact centre")
TEAM_KINDS = ("North", "South", "East", "West", "Central", "Nights", "Weekend", "Rapid response", "Bank",
              "Day shift", "Late shift", "Hub")
VALUE_NAMES = ("Compassion", "Respect", "Teamwork", "Going the extra mile", "Listening", "Courage", "Kindness",
               "Learning")
WHAT_THEY_DID = (
    "You stayed on the line with a caller in crisis until the crisis team arrived, then made sure I was OK too.",
    "You covered my late shift at no notice when my son was ill, and handed over so well I missed nothing.",
    "You sat with a bereaved family for an hour after your shift ended and found them a quiet room.",
    "You calmed an angry relative at the front desk without raising your voice, and got them the answer they "
    "needed from the ward within the hour.",
    "You rewrote our discharge letter template so patients can actually read it. Complaints about it stopped.",
    "You spotted that a patient's interpreter had not been booked and sorted it before the consultant arrived.",
    "You trained three new starters on the phone system this week while carrying a full caseload.",
    "You noticed I was struggling after a difficult call and took me for a cup of tea and a proper de-brief.",
    "You chased the pharmacy five times so a patient could go home for her daughter's wedding.",
    "You kept the whole team laughing through the worst week of winter pressures.",
    "You turned a complaint into a meeting the family said was the first time anyone had listened.",
    "You found the missing referral that had been bouncing between teams for three weeks.",
)
DIFFERENCE = (
    "The caller was safe and I could carry on with my shift.",
    "I could be with my family when they needed me.",
    "The family wrote to the chief executive to say how much it meant.",
    "Fewer people ring us confused about their letters.",
    "Nobody had to repeat their story again.",
    "",
    "The new starters feel part of the team already.",
    "I went home feeling I had done my job well.",
)
# "What can we learn?" — answered on about one thank-you in eight (champions are offered these to share).
LEARNING = (
    "Ring the ward before you transfer a caller, so nobody has to tell their story twice.",
    "A two-line summary in the handover note saved the next shift twenty minutes.",
    "Offering the quiet room first calmed the conversation straight away.",
    "Checking the interpreter is booked before the appointment letter goes out avoids a wasted trip.",
    "A buddy for every new starter in their first week made the difference.",
)
COMMENTS = (
    "Thank you from me too — you make this team.",
    "Completely deserved. I saw how hard you worked on this.",
    "This is exactly what we mean by compassion.",
    "Well done! The family mentioned you by name.",
    "Agree with every word.",
    "You have done this for me more than once. Thank you.",
)
REPORT_REASONS = ("This names a patient.", "I think this is about the wrong person.", "Please check: it mentions "
                  "a complaint that is still open.")
NOTE_TITLES = (
    "Warm handovers to the bereavement office", "Scripts we stopped using and what we say instead",
    "A five-minute huddle before the phones open", "Calling back when we said we would", "Quiet rooms for families",
    "Letters patients can read", "De-briefing after a difficult contact", "Interpreters booked at referral",
    "One named contact for every complaint", "Checking in with new starters at week two",
)
NOTE_SUMMARY = "What we changed, why, and what happened next — in a paragraph you can read between calls."
NOTE_BODY = (
    "## What we did\n\nWe agreed that nobody passes a caller on without **staying on the line** until the next "
    "person has heard the story. It takes two minutes longer and saves twenty.\n\n"
    "## What changed\n\n- fewer repeat calls\n- fewer complaints about being *passed around*\n- staff say they "
    "feel less alone with hard calls\n\n"
    "## Tips\n\nStart with one team for a month, then share the numbers at the directorate meeting."
)
NOTE_TAGS = ("handovers", "complaints", "bereavement", "phones", "letters", "wellbeing", "new starters",
             "interpreters", "de-brief", "families", "discharge", "huddles")
BOOKING_REASONS = ("A hard week with a family complaint.", "I want to talk through a case that stayed with me.", "")
SUPPORTER_ABOUT = "Experienced colleague, trained in restorative supervision. I work shifts, so I offer early and " \
                  "late times."
