"""Write the example PDF document of the Entente example corpus.

Usage (from the repository root):

    .venv/bin/python scripts/make_example_pdf.py

The text is held inline below and written to
``examples/11_us_japan_alliance_2015_2023.pdf`` with fpdf2's core Helvetica
font. Core fonts only cover Latin-1, so the text uses straight quotes and
plain hyphens. The creation date is fixed so that the output is byte-for-byte
reproducible.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

OUT = Path(__file__).resolve().parent.parent / "examples" / "11_us_japan_alliance_2015_2023.pdf"

TITLE = "From the 2015 Guidelines to Camp David: The US-Japan Alliance, 2015-2023"

BYLINE = "Policy brief by Eleanor Whitcombe, Pacific Security Forum, October 2023"

PARAGRAPHS = [
    "On April 27, 2015, the foreign and defence ministers of Japan and the United States met in "
    "New York and approved new Guidelines for Japan-U.S. Defense Cooperation, revising the "
    "document for the first time since 1997 and widening its scope.1 Foreign Minister Fumio Kishida, Defense Minister Gen Nakatani, Secretary of State "
    "John Kerry and Secretary of Defense Ashton Carter described the document as a historic step. "
    "The guidelines set up a standing Alliance Coordination Mechanism and dropped the old "
    "geographic limits on what the Self-Defense Forces could do alongside American forces. The next "
    "day Prime Minister Shinzo Abe met President Barack Obama at the White House, and on April 29 "
    "he became the first Japanese leader to address a joint meeting of Congress.2 Obama repeated "
    "that Article 5 of the security treaty applies to the Senkaku Islands, a commitment he had "
    "first made in public in April 2014, during a visit to Tokyo.3 Beijing said the alliance "
    "should not harm the interests of third parties.",
    "Tokyo then changed its own law. On September 19, 2015, after months of protests outside the "
    "Diet, the upper house passed security bills that allow Japan to exercise collective "
    "self-defence in limited circumstances.4 Washington welcomed the legislation as a contribution "
    "to regional stability; Beijing and Pyongyang condemned it.",
    "The second turning point came in December 2022, when the Kishida government adopted a new "
    "National Security Strategy. Japan pledged to raise defence spending to 2 percent of GDP by "
    "fiscal 2027 and to acquire counterstrike capabilities, including up to 400 Tomahawk cruise "
    "missiles to be bought from the United States.5 President Joe Biden praised the plan when "
    "Kishida visited the White House in January 2023.",
    "Relations between Japan and South Korea had long been the weak link. In March 2023, President "
    "Yoon Suk Yeol announced a plan to compensate victims of wartime forced labour through a Korean "
    "foundation and travelled to Tokyo, the first such bilateral visit in twelve years.6 That thaw "
    "made the Camp David summit possible. On August 18, 2023, Biden hosted Kishida and Yoon at the "
    "presidential retreat in Maryland, the first stand-alone summit of the three leaders. They "
    "adopted the Camp David Principles, agreed to hold trilateral summits and exercises every year, "
    "and made a commitment to consult each other promptly in a crisis that affects their common "
    "security.7 The three governments also agreed to share real-time warning data on North Korean "
    "missile launches by the end of the year.8 Beijing accused Washington of building exclusive "
    "blocs in Asia, while Pyongyang denounced the meeting as a step toward an Asian version of NATO.",
    "The US-Japan alliance is now closer than at any time since the end of the Cold War. Whether "
    "the trilateral framework survives changes of government in Washington, Tokyo or Seoul is the "
    "open question.",
]

NOTES = [
    '1. Thomas Bellweather, "A New Rulebook for the Alliance," Pacific Security Forum Review, '
    "May 4, 2015.",
    '2. Aiko Sugimura, "Abe on Capitol Hill," Tokyo Policy Review, April 30, 2015.',
    "3. Ibid.",
    '4. Kenji Arakawa, "The Security Bills Pass," Tokyo Policy Review, September 21, 2015.',
    '5. Martin Oyelaran, "Japan\'s Counterstrike Turn," Asia Security Quarterly, December 20, 2022.',
    '6. Ji-woo Kang, "Seoul\'s Forced Labour Plan," Northeast Asia Bulletin, March 17, 2023.',
    '7. Bellweather, "Three Leaders at the Retreat," Pacific Security Forum Review, August 21, 2023.',
    "8. Ibid., 4.",
]


def build(path: Path = OUT) -> Path:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=UTC))
    pdf.set_title(TITLE)
    pdf.set_author("Eleanor Whitcombe")
    pdf.set_subject("US-Japan relations, 2015-2023 (example document)")
    pdf.set_creator("Entente example corpus")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 14)
    pdf.multi_cell(0, 7, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 5, BYLINE, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font("Helvetica", "", 11)
    for para in PARAGRAPHS:
        pdf.multi_cell(0, 5.5, para, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)

    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 12)
    pdf.multi_cell(0, 6, "Notes", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", "", 9.5)
    for note in NOTES:
        pdf.multi_cell(0, 5, note, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


if __name__ == "__main__":
    out = build()
    print(f"wrote {out} ({out.stat().st_size} bytes)")
