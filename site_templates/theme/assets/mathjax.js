// MathJax, only on pages with math. pymdownx.arithmatex (generic) and digest mark every
// formula up as <span class="arithmatex">\( ... \)</span>: a page without one downloads no
// MathJax at all, and where the script cannot load (offline, CDN down, blocked) the TeX
// stays as it was written, which a reader can still read.
(function () {
  var SRC = "https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js";
  var requested = false;

  window.MathJax = {
    // Abstracts are untrusted: the safe extension drops \href to javascript: URLs, \style
    // and \class, so TeX cannot carry a link or restyle the page.
    loader: { load: ["ui/safe"] },
    tex: {
      inlineMath: [["\\(", "\\)"]],
      displayMath: [["\\[", "\\]"]],
      processEscapes: true,
      processEnvironments: true,
    },
    // MathJax reads only the math that arithmatex (and digest) marked up.
    options: {
      ignoreHtmlClass: ".*|",
      processHtmlClass: "arithmatex",
    },
  };

  function typeset() {
    if (!document.querySelector(".arithmatex")) return;
    var mathjax = window.MathJax;
    if (mathjax && mathjax.typesetPromise) {
      // Loaded already, and Material swapped in another page (instant navigation).
      mathjax.startup.output.clearCache();
      mathjax.typesetClear();
      mathjax.texReset();
      mathjax.typesetPromise();
    } else if (!requested) {
      // Once loaded, MathJax typesets the page it finds by itself.
      requested = true;
      var script = document.createElement("script");
      script.src = SRC;
      script.async = true;
      document.head.appendChild(script);
    }
  }

  if (typeof document$ !== "undefined") document$.subscribe(typeset);
  else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else typeset();
})();
