# ruff: noqa: E501
"""Welsh for the unit and colleague pickers and the bank holidays page (draft: needs review by a Welsh-language officer)."""

WELSH = {
    "Colleague": "Cydweithiwr",
    "You are nominating": "Rydych chi'n enwebu",
    "Type at least 2 letters of their name, then choose them from the list.": "Teipiwch o leiaf 2 lythyren o'u henw, yna dewiswch nhw o'r rhestr.",
    "Search for your colleague by name, then choose them from the list.": "Chwiliwch am eich cydweithiwr yn ôl ei enw, yna dewiswch nhw o'r rhestr.",
    "Moving a unit moves every unit beneath it too, and it cannot move inside itself. Leave it empty for a top-level unit.": "Mae symud uned yn symud pob uned oddi tani hefyd, ac ni all symud i mewn iddi hi ei hun. Gadewch yn wag ar gyfer uned lefel uchaf.",
    "Find the unit it belongs to. Leave it empty for a new top-level unit.": "Dewch o hyd i'r uned mae'n perthyn iddi. Gadewch yn wag ar gyfer uned lefel uchaf newydd.",
    "Find a team to thank everyone in it. You can also choose people above.": "Dewch o hyd i dîm i ddiolch i bawb ynddo. Gallwch hefyd ddewis pobl uchod.",
    "Now: %(region)s": "Ar hyn o bryd: %(region)s",
    "from the unit above, or the default": "o'r uned uwch ei phen, neu'r rhagosodiad",
    "Units with their own bank holidays": "Unedau â'u gwyliau banc eu hunain",
    "Every other unit keeps the bank holidays of the unit above it, or %(region)s at the top.": "Mae pob uned arall yn cadw gwyliau banc yr uned uwch ei phen, neu %(region)s ar y brig.",
    "None yet.": "Dim eto.",
}
