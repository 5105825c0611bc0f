"""The demo newsroom: a fictional robot maker, Harbor Automation, and its news center.

All text here is our own. The conference report is shaped like the page the
product started from: three numbered parts, sub-headings, captioned photos.
"""

SECTIONS = [
    # slug, name, parent slug, position, description
    ("news-center", "News center", None, 0, "News from Harbor Automation and the industry."),
    ("company-news", "Company news", "news-center", 1, "What is happening at Harbor Automation."),
    ("industry-news", "Industry news", "news-center", 2, "Automation, robotics and manufacturing."),
    ("media-coverage", "Media coverage", "news-center", 3, "Harbor Automation in the press."),
]

IMAGES = [
    # key, kind, title, alt text, caption, credit
    ("forum-hall", "hall", "Forum main hall",
     "A full conference hall facing a stage with a large screen",
     "Delegates fill the main hall of the Coastal Smart Manufacturing Forum.", "Photo: Lin Yue"),
    ("line-launch", "factory", "Launch of the Riverside line",
     "Three people press a launch button on a stage in front of an assembly line",
     "From left: Wen Tao of the city economic bureau, our chair Grace Zhou and district deputy "
     "head Karl Meng start the Riverside line.", "Photo: Lin Yue"),
    ("riverside-cells", "robot", "Riverside welding cells",
     "Orange robot arms at work in a row of welding cells",
     "Welding cells on the Riverside line, each tended by one technician.", "Photo: Harbor Automation"),
    ("award-stage", "award", "Smart factory awards",
     "Representatives of twenty factories holding plaques on a stage",
     "Representatives of the first twenty certified smart factories.", "Photo: Lin Yue"),
    ("training-lab", "lab", "Training centre",
     "Students gathered around a collaborative robot on a workbench",
     "Apprentices learn to program a collaborative arm at the training centre.", "Photo: Harbor Automation"),
    ("harbor-city", "city", "Harbor city skyline",
     "A city skyline at dusk over a harbour", "The harbour district at dusk.", "Photo: Ada Brandt"),
]  # fmt: skip

AUTHORS = [
    # username, name, slug, role, biography (plain text, paragraphs apart), portrait seed
    ("lin.yue", "Lin Yue", "lin-yue", "Reporter and staff photographer",
     "Lin Yue covers our plants and the people who run them, usually with a camera in hand.\n\n"
     "Before joining the newsroom she spent eight years reporting on the shipyards of the "
     "harbour district.", 1),
    ("ada.brandt", "Ada Brandt", "ada-brandt", "Industry correspondent",
     "Ada Brandt writes about automation across the region: safety standards, supply chains and "
     "the factories that are changing fastest. She trained as a mechanical engineer.", 2),
    ("sun.mei", "Sun Mei", "sun-mei", "Press and media editor",
     "Sun Mei follows what newspapers, trade magazines and broadcasters say about Harbor "
     "Automation, and answers their questions.", 3),
]  # fmt: skip

CONFERENCE_BODY = """
<h2>1. Coastal Smart Manufacturing Forum opens in Harbor City</h2>
<p>On 3 November, more than six hundred engineers, factory managers and officials met in Harbor City
for the annual Coastal Smart Manufacturing Forum. This year's theme, "Smarter plants, steadier
jobs", asked how automation can raise output while keeping skilled people at the centre of the work.</p>
{img:forum-hall}
<h3>Three priorities for the coming year</h3>
<p>Opening the forum, Wen Tao, deputy director of the city economic bureau, said the region would
back factories that connect their machines, measure their energy use and train their staff. He
named three priorities: shared test beds for small suppliers, faster approval of industrial
networks, and apprenticeships that lead to recognised qualifications.</p>
<p>Speakers from research institutes and suppliers then took turns on the stage. Several stressed
that data from the shop floor is only useful when operators can read it and act on it during the
same shift, not weeks later in a report.</p>
<h2>2. Riverside line starts production of 12,000 robots a year</h2>
<p>During the forum, Harbor Automation started production on its Riverside line, which is built to
assemble 12,000 industrial robots a year. The line joins machining, welding, painting and final
testing under one roof, and every robot leaves with a full record of its test results.</p>
{img:line-launch}
<h3>Built with our own robots</h3>
<p>Most of the handling on the line is done by Harbor's own six-axis arms. "We build robots with
robots, and we learn from every one," said chair Grace Zhou. The company expects the line to cut
delivery times for its mid-size arms from ten weeks to four.</p>
{img:riverside-cells}
<h2>3. First twenty smart factories certified</h2>
<p>The forum closed with the certification of the region's first twenty smart factories, chosen
after a year of audits of their data systems, safety records and training plans. Harbor Automation's
Riverside plant is among them, beside makers of car parts, medical devices and household goods.</p>
{img:award-stage}
<h3>What comes next</h3>
<p>Building on the first twenty plants, the region plans two open training bases, two factory
visitor routes and two exhibition centres over the next three years, so that students and the public
can see modern manufacturing at work.</p>
<table>
<caption>Certified smart factories in the Riverside district</caption>
<thead><tr><th scope="col">Company</th><th scope="col">Plant</th><th scope="col">Field</th></tr></thead>
<tbody>
<tr><td>Harbor Automation Co., Ltd.</td><td>Riverside robot plant</td><td>High-end equipment</td></tr>
<tr><td>Eastbank Drives</td><td>Motor and gearbox plant</td><td>Components</td></tr>
<tr><td>Lumen Medical</td><td>Sterile assembly plant</td><td>Medical devices</td></tr>
</tbody>
</table>
"""

ARTICLES = [
    {
        "slug": "coastal-forum-riverside-line-opens",
        "section": "company-news",
        "title": "Riverside line for 12,000 robots a year opens as region certifies its first "
        "smart factories",
        "summary": "At the Coastal Smart Manufacturing Forum, Harbor Automation started its Riverside "
        "line and was among the first twenty plants certified as smart factories.",
        "body": CONFERENCE_BODY,
        "days_ago": 1,
        "hour": 17,
        "featured": True,
        "byline": "By the Harbor Automation newsroom",
        "cover": "line-launch",
        "views": 1342,
        "tags": ["forum", "smart factory", "Riverside"],
    },
    {
        "slug": "apprentice-programme-doubles",
        "author": "lin.yue",
        "section": "company-news",
        "title": "Our apprentice programme doubles to 120 places",
        "summary": "The training centre opens a second workshop and a night course for technicians "
        "who want to move into robot programming.",
        "body": """<p>Harbor Automation will take 120 apprentices next year, twice as many as this
year, after opening a second workshop at its training centre.</p>
<h2>A path from the shop floor</h2>
<p>Apprentices spend three days a week on the lines and two in the workshop, where they learn to
program, maintain and safely work beside robot arms.</p>{img:training-lab}
<p>A new night course lets technicians already employed in the region move into programming roles
without leaving their jobs.</p>
<blockquote>"Every robot we ship needs people who understand it," said training lead Priya Nair.</blockquote>""",
        "days_ago": 4,
        "hour": 10,
        "cover": "training-lab",
        "views": 468,
        "tags": ["training", "jobs"],
    },
    {
        "slug": "quarterly-results-q3",
        "author": "ada.brandt",
        "section": "company-news",
        "title": "Third-quarter orders up 18% on demand for mid-size arms",
        "summary": "Orders rose in every region, led by battery and food-packaging customers.",
        "body": """<p>Harbor Automation received orders for 2,950 robots in the third quarter, 18% more
than a year earlier.</p><h2>Where the growth came from</h2><ul><li>Battery makers: 31% of
orders</li><li>Food and packaging: 22%</li><li>Car parts: 19%</li></ul><p>The company expects the
Riverside line to shorten delivery times from the first quarter of next year.</p>""",
        "days_ago": 9,
        "hour": 9,
        "views": 312,
        "tags": ["results"],
    },
    {
        "slug": "open-day-riverside",
        "author": "lin.yue",
        "section": "company-news",
        "title": "Riverside plant opens its doors to families on 14 December",
        "summary": "Visitors can watch the line at work, try a teaching pendant and meet our "
        "apprentices.",
        "body": """<p>Harbor Automation's Riverside plant will hold its first open day on 14
December. Guided tours leave every half hour from 9:00 to 16:00.</p><h2>What to expect</h2>
<p>Children can program a small robot to draw their name; older visitors can follow a robot arm
from bare casting to final test.</p>""",
        "days_ago": 0,
        "hour": 8,
        "views": 57,
        "tags": ["Riverside", "community"],
    },
    {
        "slug": "collaborative-robots-safety-standard",
        "author": "ada.brandt",
        "section": "industry-news",
        "title": "New safety guidance for collaborative robots takes effect",
        "summary": "The revised guidance sets clearer limits for contact between people and robots "
        "sharing a workspace.",
        "body": """<p>Revised guidance for collaborative robot applications takes effect this month.
It replaces a patchwork of earlier notes with one method for assessing contact between people and
machines.</p><h2>What changes for factories</h2><p>Integrators must now record the force and
pressure limits chosen for each task and show how they were measured.</p><h3>Transition</h3><p>
Existing cells have two years to comply.</p>""",
        "days_ago": 3,
        "hour": 14,
        "views": 289,
        "tags": ["safety", "standards"],
    },
    {
        "slug": "battery-plants-automation-wave",
        "author": "ada.brandt",
        "section": "industry-news",
        "title": "Battery plants drive a new wave of automation orders",
        "summary": "Cell and pack makers are now the largest buyers of industrial robots in the "
        "region, an industry survey finds.",
        "body": """<p>Battery makers bought more industrial robots than car makers in the region for
the first time this year, according to an annual survey of suppliers.</p><h2>Why batteries</h2>
<p>Cell production needs clean, precise handling at high speed, and new plants are designed around
automation from the start.</p>{img:harbor-city}""",
        "days_ago": 6,
        "hour": 11,
        "cover": "harbor-city",
        "views": 401,
        "tags": ["batteries", "market"],
    },
    {
        "slug": "harbor-daily-profile",
        "author": "sun.mei",
        "section": "media-coverage",
        "title": "Harbor Daily: the robot maker that trains its own workforce",
        "summary": "A profile of our apprentice programme and the technicians it has trained.",
        "body": """<p>The Harbor Daily visited our training centre for a profile of the apprentice
programme, speaking to three former apprentices who now lead teams on the Riverside line.</p>
<blockquote>"It is rare to see a factory invest so steadily in people," the paper wrote.</blockquote>""",
        "days_ago": 2,
        "hour": 16,
        "views": 233,
        "tags": ["press", "training"],
    },
    {
        "slug": "industry-weekly-interview",
        "author": "sun.mei",
        "section": "media-coverage",
        "title": "Industry Weekly interviews chair Grace Zhou on export plans",
        "summary": "Grace Zhou spoke about service networks abroad and why spare parts matter as much "
        "as robots.",
        "body": """<p>In an interview with Industry Weekly, chair Grace Zhou outlined plans to open
service centres in three new countries next year.</p><h2>Service first</h2><p>"A robot that
waits a week for a part is a robot that does not work," she said.</p>""",
        "days_ago": 12,
        "hour": 15,
        "views": 198,
        "tags": ["press", "export"],
    },
    {
        "slug": "forum-to-return-next-year",
        "author": "lin.yue",
        "section": "industry-news",
        "title": "Coastal Smart Manufacturing Forum to return in spring",
        "summary": "Organisers announced a spring edition focused on small and mid-size suppliers.",
        "body": """<p>Organisers of the Coastal Smart Manufacturing Forum announced a second edition
for next spring, focused on small and mid-size suppliers.</p>""",
        "days_ago": 1,
        "hour": 9,
        "views": 121,
        "tags": ["forum"],
    },
    {
        "slug": "new-cobot-series-scheduled",
        "author": "lin.yue",
        "section": "company-news",
        "title": "Harbor C-series collaborative arms: launch details",
        "summary": "A scheduled announcement: it goes live by itself in two days.",
        "body": "<p>Details of the new C-series collaborative arms.</p>",
        "days_ago": -2,
        "hour": 9,
        "views": 0,
        "tags": ["products"],
    },
    {
        "slug": "draft-annual-report",
        "section": "company-news",
        "title": "Annual report (draft)",
        "summary": "A draft that readers never see.",
        "body": "<p>Draft text.</p>",
        "draft": True,
        "views": 0,
    },
]

TRANSLATIONS = [
    {
        "translation_of": "coastal-forum-riverside-line-opens",
        "slug": "coastal-forum-riverside-line-opens-zh",
        "section": "company-news",
        "language": "zh-hans",
        "title": "年产一万二千台机器人的滨江产线投产，首批智能工厂获认定",
        "summary": "在沿海智能制造论坛上，港湾自动化的滨江产线正式投产，并入选首批二十家智能工厂。",
        "body": """<h2>1. 沿海智能制造论坛在港湾市开幕</h2><p>11月3日，六百多名工程师、工厂管理者和
政府代表齐聚港湾市，参加一年一度的沿海智能制造论坛。</p>{img:forum-hall}<h2>2. 滨江产线投产</h2>
<p>论坛期间，港湾自动化滨江产线正式投产，设计年产能为一万二千台工业机器人。</p>{img:line-launch}
<h2>3. 首批二十家智能工厂获认定</h2><p>论坛最后为首批二十家智能工厂颁发证书。</p>{img:award-stage}""",
        "days_ago": 1,
        "hour": 18,
        "views": 264,
        "tags": ["论坛"],
    },
    {
        # Only in Chinese: English lists show it too, labelled with its language.
        "slug": "training-centre-open-day-zh",
        "author": "lin.yue",
        "section": "company-news",
        "language": "zh-hans",
        "title": "培训中心开放日：两百名学生体验协作机器人编程",
        "summary": "港湾自动化培训中心举行开放日，附近职业学校的学生第一次动手为协作机械臂编程。",
        "body": """<p>上周六，港湾自动化培训中心向公众开放。来自附近三所职业学校的两百名学生在工程师
指导下，为协作机械臂编写了第一段程序。</p>{img:training-lab}<p>培训中心明年将开设夜间课程。</p>""",
        "days_ago": 2,
        "hour": 15,
        "views": 58,
        "tags": ["培训"],
    },
]
