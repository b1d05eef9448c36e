"""What fitting a narrow screen means, for the browser suites (no tests here)."""

NARROW = {"width": 320, "height": 640}
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
