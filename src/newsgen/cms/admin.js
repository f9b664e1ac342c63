// newsgen's additions to Decap CMS, run after its bundle: the theme's look in the preview pane, story and page
// previews laid out as article.html and page.html lay them out, and the section picker (a text box that suggests the site's sections and accepts
// a new one). Plain script with the `h` and `createClass` globals Decap exposes: nothing to build.
(function () {
  "use strict";
  var CMS = window.CMS;
  var h = window.h;
  var createClass = window.createClass;
  var settings = JSON.parse(document.getElementById("newsgen-cms").textContent);

  CMS.registerPreviewStyle(settings.stylesheet);
  if (typeof h !== "function" || typeof createClass !== "function") {
    return; // a CMS without Decap's React globals (Sveltia CMS): its own preview and a text box for the section
  }

  function text(value) {
    return value === undefined || value === null ? "" : String(value);
  }

  // A photo uploaded to a story not yet saved is only in the browser. Decap 3.16.3 takes a path starting with "/"
  // (/images/x.jpg) for a URL and never looks for the upload, so its URL would miss until the save; the entry's own
  // unsaved uploads, by file name, give the browser's copy.
  function photoURL(props, src) {
    var name = String(src).split("/").pop();
    var uploads = props.entry.get("mediaFiles");
    var upload = uploads && uploads.find(function (file) {
      return file.get("draft") && String(file.get("path")).split("/").pop() === name;
    });
    return upload ? String(upload.get("url")) : props.getAsset(src).toString();
  }

  function leadPhoto(props, image) {
    var photo = image && image.size ? image.get(0) : null;
    if (!photo || !photo.get("src")) {
      return null;
    }
    var caption = text(photo.get("caption"));
    var credit = text(photo.get("credit"));
    return h(
      "figure",
      { className: "lead" },
      h("img", { src: photoURL(props, photo.get("src")), alt: text(photo.get("alt")) }),
      caption || credit ? h("figcaption", {}, caption, credit ? " " : "", credit ? h("span", { className: "credit" }, credit) : null) : null
    );
  }

  var StoryPreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      var section = text(data.get("section"));
      var dek = text(data.get("dek"));
      var date = text(data.get("date"));
      var authors = data.get("authors");
      var byline = authors && authors.size ? authors.toJS().join(", ") : "";
      return h(
        "main",
        { id: "main", className: "wrap" },
        h(
          "article",
          { className: "story" },
          h(
            "header",
            { className: "story-header" },
            section ? h("p", { className: "kicker" }, section) : null,
            h("h1", {}, text(data.get("headline"))),
            dek ? h("p", { className: "dek" }, dek) : null,
            h(
              "p",
              { className: "meta" },
              byline ? h("span", { className: "byline" }, byline + " ") : null,
              date ? h("time", { dateTime: date }, date.replace("T", " ") + " " + settings.timezone) : null
            )
          ),
          leadPhoto(this.props, data.get("image")),
          h("div", { className: "story-body" }, this.props.widgetFor("body"))
        )
      );
    },
  });
  CMS.registerPreviewTemplate("articles", StoryPreview);

  var PagePreview = createClass({
    render: function () {
      var data = this.props.entry.get("data");
      return h(
        "main",
        { id: "main", className: "wrap" },
        h(
          "article",
          { className: "story standalone-page" },
          h("header", { className: "story-header" }, h("h1", {}, text(data.get("title")))),
          h("div", { className: "story-body" }, this.props.widgetFor("body"))
        )
      );
    },
  });
  CMS.registerPreviewTemplate("pages", PagePreview);

  var SectionControl = createClass({
    handleChange: function (event) {
      this.props.onChange(event.target.value);
    },
    render: function () {
      var options = this.props.field.get("options");
      var listId = this.props.forID + "-sections";
      return h(
        "div",
        {},
        h("input", {
          id: this.props.forID,
          type: "text",
          list: listId,
          autoComplete: "off",
          className: this.props.classNameWrapper,
          value: text(this.props.value),
          onChange: this.handleChange,
          onFocus: this.props.setActiveStyle,
          onBlur: this.props.setInactiveStyle,
        }),
        h(
          "datalist",
          { id: listId },
          (options ? options.toJS() : []).map(function (name) {
            return h("option", { key: name, value: name });
          })
        )
      );
    },
  });
  CMS.registerWidget(settings.sectionWidget, SectionControl, CMS.getWidget("string").preview);
})();
