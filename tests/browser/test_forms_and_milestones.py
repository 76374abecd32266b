"""Every form page at 360 × 740 in chromium: each input's box is measured (at least 44 px tall,
the full width of the column); and the learner's milestones: "Bài sau" counts the lesson as
read without JavaScript, the quiz that completes a course offers its certificate, and
"Nghe bài học" shows only when the phone has a Vietnamese voice."""

import itertools

import pytest
from playwright.sync_api import expect

from lms.accounts.models import User
from lms.accounts.services import hash_password
from lms.certificates.services import issue_certificate
from lms.courses.models import Course
from lms.units.models import Team, Unit
from lms.units.services import new_invite_code
from tests.browser.support import NO_VOICE, VIETNAMESE_VOICE, answer_quiz, unique_phone
from tests.learner_helpers import quiz_of

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-bieu-mau"
LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"
NEXT_LESSON = "/courses/mau/modules/bat-dau/lessons/dich-vu-cong"
MIN_HEIGHT = 44
COLUMN = 360 - 2 * 16  # main's padding is 1rem on each side
_numbers = itertools.count(1)
# Every visible box a person types into or picks from.
FIELDS = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea"


def _world(live):
    """A province > commune with a team; a person per role, each able to sign in."""
    n = next(_numbers)
    with live.db() as db:
        province = Unit(code=f"FP{n}", name="Tỉnh Biểu Mẫu", level="province", path=f"/FP{n}/")
        db.add(province)
        db.flush()
        commune = Unit(
            code=f"FC{n}",
            name="Xã Biểu Mẫu",
            level="commune",
            parent_id=province.id,
            path=f"/FP{n}/FC{n}/",
        )
        db.add(commune)
        db.flush()
        team = Team(
            code=f"FT{n}", name="Thôn Mẫu", commune_id=commune.id, invite_code=new_invite_code()
        )
        db.add(team)
        db.flush()

        def person(role, **fields):
            user = User(
                full_name=f"Người {role}",
                role=role,
                login=f"{role}{n}",
                phone=unique_phone(),
                password_hash=hash_password(PASSWORD),
                **fields,
            )
            db.add(user)
            return user

        people = {
            "citizen": person("citizen"),
            "member": person("member", team_id=team.id),
            "official": person("commune_official", unit_id=commune.id),
            "admin": person("admin"),
        }
        db.flush()
        course = db.query(Course).filter_by(slug="mau").one()
        certificate = issue_certificate(db, people["member"], course)
        db.commit()
        logins = {role: user.login for role, user in people.items()}
        return logins, team.code, commune.code, people["member"].id, certificate.code


def _sign_in(page, live, login):
    page.goto(live.url + "/login")
    page.fill("#f-login", login)
    page.fill("#f-password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page).not_to_have_url(live.url + "/login")


def _boxes(page) -> list[dict]:
    """Each visible field's box, and the width it has to fill: main's column less the
    padding and borders of the boxes it sits in (a card, a fieldset)."""
    return page.eval_on_selector_all(
        FIELDS,
        """els => els.filter(e => e.offsetParent !== null).map(e => {
            const box = e.getBoundingClientRect();
            const main = document.querySelector("main"), mainStyle = getComputedStyle(main);
            let room = main.clientWidth - parseFloat(mainStyle.paddingLeft)
                - parseFloat(mainStyle.paddingRight);
            for (let up = e.parentElement; up && up !== main; up = up.parentElement) {
                const s = getComputedStyle(up);
                room -= parseFloat(s.paddingLeft) + parseFloat(s.paddingRight)
                    + parseFloat(s.borderLeftWidth) + parseFloat(s.borderRightWidth);
            }
            return {field: e.id || e.name, width: box.width, height: box.height, room: room};
        })""",
    )


def _measure(page, url: str) -> list[str]:
    """Problems with the boxes on one page: too short, or narrower than the room it has."""
    page.goto(url)
    for details in page.locator("details:not([open]) > summary").all():
        if details.is_visible():
            details.click()  # forms folded into <details> (e.g. the target) are measured open
    boxes = _boxes(page)
    assert boxes, f"{url}: no field found"
    wrong = [
        f"{url} #{box['field']}: {box['width']:.0f}×{box['height']:.0f}"
        for box in boxes
        if box["height"] < MIN_HEIGHT or box["width"] < box["room"] - 1
    ]
    sideways = page.evaluate("document.documentElement.scrollWidth")
    if sideways > 360:
        wrong.append(f"{url}: the page is {sideways} px wide")
    return wrong


def test_every_input_of_every_form_page_is_tall_and_full_width(chromium, live):
    logins, team, commune, member_id, cert_code = _world(live)
    pages = {
        None: ["/login", "/register", "/login/code", "/verify", "/verify?code=0O1"],
        "citizen": ["/profile", "/me/delete"],
        "member": [f"/teams/{team}/assisted"],
        "official": [
            f"/reports/units/{commune}",
            "/reports/tokens",
            "/reports/import",
            "/reports/recovery",
            f"/reports/honours/{commune}",
        ],
        "admin": ["/reports/featured", "/admin/audit", f"/verify/{cert_code}"],
    }
    wrong = []
    for role, urls in pages.items():
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        if role is not None:
            _sign_in(page, live, logins[role])
        for url in urls:
            wrong += _measure(page, live.url + url)
        context.close()
    assert not wrong, "\n".join(wrong)


def _no_script_phone(chromium):
    return chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)


def test_next_counts_the_lesson_as_read_without_javascript(chromium, live):
    context = _no_script_phone(chromium)
    page = context.new_page()
    page.goto(live.url + LESSON)
    page.get_by_role("button", name="Bài sau").click()
    expect(page).to_have_url(live.url + NEXT_LESSON)
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận")
    page.goto(live.url + LESSON)
    expect(page.get_by_text("Bạn đã học bài này")).to_be_visible()
    expect(page.get_by_role("link", name="Bài sau")).to_have_attribute("href", NEXT_LESSON)
    page.screenshot(path=str(live.app.instance_path) + "/next-lesson.png")
    context.close()


def _quiz_url(live, module: str) -> str:
    with live.db() as db:
        return f"/quizzes/{quiz_of(db, module).id}"


def test_the_quiz_that_completes_the_course_offers_the_certificate(chromium, live):
    logins, *_rest = _world(live)
    context = _no_script_phone(chromium)
    page = context.new_page()
    _sign_in(page, live, logins["citizen"])
    page.goto(live.url + _quiz_url(live, "bat-dau"))
    answer_quiz(page, live, right=True)
    expect(page.locator(".banner")).to_have_count(0)  # one module of two: not yet
    page.goto(live.url + _quiz_url(live, "an-toan"))
    answer_quiz(page, live, right=True)
    banner = page.locator(".banner")
    expect(banner).to_contain_text("Bạn đã hoàn thành khoá học")
    download = banner.get_by_role("link", name="Tải chứng nhận")
    box = download.bounding_box()
    assert box["height"] >= 56 and box["width"] >= COLUMN - 1 - 2 * 18  # inside the banner
    page.screenshot(path=str(live.app.instance_path) + "/course-done.png")
    response = page.request.get(live.url + download.get_attribute("href"))
    assert response.status == 200 and response.body().startswith(b"%PDF")
    page.goto(live.url + "/me/certificates")
    card_button = page.locator(".card").get_by_role("link", name="Tải chứng nhận (PDF)")
    card_box, card = card_button.bounding_box(), page.locator(".card").bounding_box()
    assert card_box["height"] >= MIN_HEIGHT
    assert card_box["width"] >= card["width"] - 2 * 18 - 2  # the card's whole inner width
    context.close()


def test_a_guest_who_completes_the_course_is_invited_to_register(chromium, live):
    context = _no_script_phone(chromium)
    page = context.new_page()
    page.goto(live.url + _quiz_url(live, "bat-dau"))
    answer_quiz(page, live, right=True)
    page.goto(live.url + _quiz_url(live, "an-toan"))
    answer_quiz(page, live, right=True)
    banner = page.locator(".banner")
    expect(banner).to_contain_text("Bạn đã hoàn thành khoá học")
    expect(banner.get_by_role("link", name="Tải chứng nhận")).to_have_count(0)
    expect(banner.get_by_role("link", name="Đăng ký để nhận chứng nhận")).to_be_visible()
    context.close()


@pytest.mark.parametrize(("voices", "offered"), [(NO_VOICE, False), (VIETNAMESE_VOICE, True)])
def test_read_aloud_only_with_a_vietnamese_voice(chromium, live, voices, offered):
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    context.add_init_script(voices)
    page = context.new_page()
    page.goto(live.url + LESSON)
    button = page.get_by_role("button", name="Nghe bài học")
    note = page.get_by_text("Máy này chưa có giọng đọc tiếng Việt")
    if offered:
        expect(button).to_be_visible()
        expect(note).to_be_hidden()
    else:
        expect(note).to_be_visible(timeout=3000)
        expect(button).to_be_hidden()
    context.close()


def test_read_aloud_and_its_note_are_hidden_without_javascript(chromium, live):
    context = _no_script_phone(chromium)
    page = context.new_page()
    page.goto(live.url + LESSON)
    expect(page.get_by_role("button", name="Nghe bài học")).to_be_hidden()
    expect(page.get_by_text("Máy này chưa có giọng đọc tiếng Việt")).to_be_hidden()
    context.close()
