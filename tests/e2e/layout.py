"""What fitting a narrow screen means, for the browser suites (no tests here)."""

NARROW = {"width": 320, "height": 640}
# A common laptop screen: the default size of every browser context the tests open.
LAPTOP = {"width": 1366, "height": 768}
# Tables wider than their box where the box does not say it scrolls (a focusable region), with the
# page's folded details opened for the measure and closed again after it.
CLIPPED_TABLES = """() => {
  const closed = [...document.querySelectorAll("main details:not([open])")];
  closed.forEach(details => details.open = true);
  const clipped = [...document.querySelectorAll("main table")]
    .filter(table => {
      const box = table.closest(".table-wrap") || table.parentElement;
      return box.scrollWidth > box.clientWidth + 1 && !box.hasAttribute("tabindex");
    })
    .map(table => table.querySelector("caption")?.textContent.trim() || table.outerHTML.slice(0, 80));
  closed.forEach(details => details.open = false);
  return clipped;
}"""
# The innermost elements sticking out past the right edge (not those scrolled inside a box that
# clips them, unless absolutely positioned and so escaping it), to say what to fix.
TOO_WIDE = """width => {
  const escapes = el => {
    if (["absolute", "fixed"].includes(getComputedStyle(el).position)) return true;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return false;
    }
    return true;
  };
  return [...document.body.querySelectorAll("*")]
    .filter(el => el.getBoundingClientRect().right > width && escapes(el)
      && ![...el.children].some(child => child.getBoundingClientRect().right > width))
    .slice(0, 5)
    .map(el => el.outerHTML.slice(0, 120));
}"""
