// The navigation, in a window narrower than Material's two columns (a phone, or a desktop
// zoomed in), is a drawer off the left edge: closed, its links are out of sight, and a
// keyboard walked through them all the same, its focus invisible. Closed, the drawer is
// `inert` here; the menu button (Material's <label>) opens it with Enter or Space, as a
// button does, and Escape closes it again.
(function () {
  var toggle = document.getElementById("__drawer");
  var drawer = document.querySelector(".md-sidebar--primary");
  var button = document.querySelector(".md-header label[for=__drawer]");
  if (!toggle || !drawer || !button) return;
  var narrow = matchMedia("(max-width: 76.234375em)"); // Material's drawer breakpoint

  function fit() {
    drawer.inert = narrow.matches && !toggle.checked;
    button.setAttribute("aria-expanded", String(toggle.checked));
  }

  button.setAttribute("role", "button");
  button.setAttribute("tabindex", "0");
  button.setAttribute("aria-label", "Navigation");
  button.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    button.click(); // the label toggles the checkbox, whose change Material follows
    var first = drawer.querySelector("a[href]");
    if (toggle.checked && first) first.focus();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !toggle.checked || !narrow.matches) return;
    button.click();
    button.focus();
  });
  toggle.addEventListener("change", fit);
  narrow.addEventListener("change", fit);
  fit();
})();
