"""Events stage: a measurement set of fresh wire sentences (not a unit table).

Sixty single news sentences written for this file, about four per PLOVER type, each with the
type an analyst codes and the text of the source actor. The test measures two rates over the
whole table and asserts floors, so it guards against regressions without pinning any one case:

- type accuracy: the gold type is among the types of the events found in the sentence;
- source match: some event found in the sentence has a source entity whose names contain the
  gold source text (case-insensitive).

The set was written before the stage was run on it; it was then used to find general misses,
so it is no longer strictly held out (see the module docstring of the events stage).
"""
from __future__ import annotations

# (text, gold PLOVER type, gold source actor text)
SENTENCES = [
    # AGREE
    ("Colombia and the ELN guerrilla group agreed on Tuesday to extend a ceasefire by six months.", "AGREE", "Colombia"),
    ("Kenya signed a defence cooperation pact with Britain in Nairobi on Monday.", "AGREE", "Kenya"),
    ("The Philippine government pledged to hold talks with communist rebels before the end of the year.", "AGREE", "Philippine"),
    # CONSULT
    ("Indian Prime Minister Narendra Modi met Japanese Prime Minister Fumio Kishida in Tokyo on Thursday.", "CONSULT", "Narendra Modi"),
    ("Saudi Foreign Minister Prince Faisal bin Farhan held talks with his Iranian counterpart in Beijing.", "CONSULT", "Faisal bin Farhan"),
    ("U.N. Secretary-General Antonio Guterres visited Kyiv on Wednesday.", "CONSULT", "Antonio Guterres"),
    ("Brazilian President Luiz Inacio Lula da Silva spoke by telephone with French President Emmanuel Macron on Friday.", "CONSULT", "Lula"),
    # SUPPORT
    ("The African Union praised Senegal's electoral commission for organising a peaceful vote.", "SUPPORT", "African Union"),
    ("Germany backed Ukraine's bid to join the European Union.", "SUPPORT", "Germany"),
    ("The World Bank welcomed Pakistan's decision to raise fuel prices.", "SUPPORT", "World Bank"),
    # CONCEDE
    ("Myanmar's military junta freed more than 2,000 political prisoners on Wednesday.", "CONCEDE", "junta"),
    ("Chinese authorities lifted a lockdown on the city of Xi'an after a month.", "CONCEDE", "Chinese authorities"),
    ("Facebook apologised to users after a data leak exposed millions of phone numbers.", "CONCEDE", "Facebook"),
    ("The Iranian government granted amnesty to hundreds of detained protesters.", "CONCEDE", "Iranian government"),
    # COOPERATE
    ("Spanish police cooperated with Moroccan authorities to dismantle a drug-trafficking network.", "COOPERATE", "Spanish police"),
    ("Indonesia and Australia will share intelligence on militant groups under a new arrangement.", "COOPERATE", "Indonesia"),
    ("The Nigerian army and Chadian troops conducted joint patrols along Lake Chad.", "COOPERATE", "Nigerian army"),
    # AID
    ("Japan sent 50 tonnes of emergency relief supplies to earthquake victims in Turkey.", "AID", "Japan"),
    ("The United States announced $400 million in military aid for Ukraine.", "AID", "United States"),
    ("The World Food Programme delivered food aid to 300,000 people in northern Ethiopia.", "AID", "World Food Programme"),
    ("Qatar donated $15 million to rebuild schools in Gaza.", "AID", "Qatar"),
    # RETREAT
    ("Russia withdrew its troops from the city of Kherson on Friday.", "RETREAT", "Russia"),
    ("France pulled its last soldiers out of Mali in August.", "RETREAT", "France"),
    ("M23 rebels retreated from several towns in eastern Congo.", "RETREAT", "M23"),
    ("Israeli forces withdrew from the Jenin refugee camp after a two-day raid.", "RETREAT", "Israeli forces"),
    # REQUEST
    ("Ukraine asked NATO for more air defence systems.", "REQUEST", "Ukraine"),
    ("The Red Cross appealed for $200 million to help flood victims in Pakistan.", "REQUEST", "Red Cross"),
    ("Pope Francis called for a ceasefire in Sudan.", "REQUEST", "Pope Francis"),
    # ACCUSE
    ("China accused the United States of interfering in its internal affairs.", "ACCUSE", "China"),
    ("Human Rights Watch criticised Saudi Arabia over the execution of 81 men.", "ACCUSE", "Human Rights Watch"),
    ("The European Commission opened an investigation into Microsoft's cloud licensing.", "ACCUSE", "European Commission"),
    ("Pakistan blamed India for a bomb attack in Lahore.", "ACCUSE", "Pakistan"),
    # REJECT
    ("Russia vetoed a U.N. Security Council resolution condemning the annexation.", "REJECT", "Russia"),
    ("Hamas rejected an Egyptian proposal for a long-term truce.", "REJECT", "Hamas"),
    ("Iran refused to allow inspectors access to the Fordow site.", "REJECT", "Iran"),
    ("A court in Guatemala rejected an appeal by the former president.", "REJECT", "court"),
    # THREATEN
    ("North Korea threatened to launch more missiles if joint drills continue.", "THREATEN", "North Korea"),
    ("The European Union warned Hungary it could lose billions in funding.", "THREATEN", "European Union"),
    ("Turkey threatened to block Sweden's NATO membership.", "THREATEN", "Turkey"),
    ("Houthi rebels vowed to target ships linked to Israel in the Red Sea.", "THREATEN", "Houthi"),
    # PROTEST
    ("Thousands of farmers protested in Paris against cheap imports.", "PROTEST", "farmers"),
    ("Opposition supporters marched through Dhaka demanding the prime minister's resignation.", "PROTEST", "supporters"),
    ("Workers at the Grasberg mine went on strike over pay.", "PROTEST", "Workers"),
    ("Students staged a sit-in outside the parliament in Belgrade.", "PROTEST", "Students"),
    # SANCTION
    ("The United States imposed sanctions on three Iranian oil companies.", "SANCTION", "United States"),
    ("Poland expelled 45 Russian diplomats on Wednesday.", "SANCTION", "Poland"),
    ("Nicaragua broke off diplomatic relations with Taiwan.", "SANCTION", "Nicaragua"),
    ("The European Union froze the assets of 20 Belarusian officials.", "SANCTION", "European Union"),
    # MOBILIZE
    ("Russia massed tens of thousands of troops near the Ukrainian border.", "MOBILIZE", "Russia"),
    ("Venezuela deployed soldiers to its border with Guyana.", "MOBILIZE", "Venezuela"),
    ("Israel called up 300,000 reservists after the attack.", "MOBILIZE", "Israel"),
    ("Taiwan put its armed forces on high alert as Chinese warships approached.", "MOBILIZE", "Taiwan"),
    # COERCE
    ("Police in Hong Kong arrested six pro-democracy activists.", "COERCE", "Police"),
    ("Uganda's government shut down the internet ahead of the election.", "COERCE", "Uganda"),
    ("Egyptian authorities banned a human rights group from operating.", "COERCE", "Egyptian authorities"),
    ("Nigerian police detained dozens of protesters in Lagos.", "COERCE", "police"),
    # ASSAULT
    ("Ukraine struck an oil depot in Crimea with drones.", "ASSAULT", "Ukraine"),
    ("Gunmen killed 14 worshippers at a church in Burkina Faso.", "ASSAULT", "Gunmen"),
    ("The Syrian army shelled rebel-held villages in Idlib province.", "ASSAULT", "Syrian army"),
    ("Al-Shabaab fighters stormed a hotel in Mogadishu.", "ASSAULT", "Al-Shabaab"),
]

# Floors: the figures measured at the last change minus 0.05.
TYPE_FLOOR = 0.90  # measured 0.950
SOURCE_FLOOR = 0.71  # measured 0.767


def _names(analysis, entity_id):
    for e in analysis.entities:
        if e.id == entity_id:
            return {n.lower() for n in (e.name, *e.aliases, *(m.text for m in e.mentions))}
    return set()


def measure(analyse):
    """(type accuracy, source match, misses) over SENTENCES."""
    type_hits = source_hits = 0
    misses = []
    for text, gold_type, gold_source in SENTENCES:
        a = analyse(text)
        types = {e.type for e in a.events}
        sources = set().union(*(_names(a, e.source) for e in a.events if e.source)) if a.events else set()
        t_ok = gold_type in types
        s_ok = any(gold_source.lower() in n for n in sources)
        type_hits += t_ok
        source_hits += s_ok
        if not (t_ok and s_ok):
            misses.append((text, gold_type, gold_source, sorted(types), sorted(sources)))
    n = len(SENTENCES)
    return type_hits / n, source_hits / n, misses


def test_table_is_balanced():
    from collections import Counter

    from wirescope.model import PLOVER_TYPES

    counts = Counter(t for _, t, _ in SENTENCES)
    assert len(SENTENCES) == 60
    assert set(counts) <= set(PLOVER_TYPES)
    assert len(counts) == 16 and min(counts.values()) >= 3


def test_fresh_set_floors(analyse):
    type_acc, source_match, misses = measure(analyse)
    report = "\n".join(f"{t} | gold {g}/{s} | got {ty} {so}" for t, g, s, ty, so in misses)
    print(f"\nfresh set: type accuracy {type_acc:.3f}, source match {source_match:.3f}\n{report}")
    assert type_acc >= TYPE_FLOOR, report
    assert source_match >= SOURCE_FLOOR, report
