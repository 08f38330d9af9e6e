// The focal point picker of the image upload forms (polosa/images/widgets.py): a Stimulus controller,
// so it starts on the multiple uploader's per-image forms and in the chooser's upload tab, which
// appear after the page has loaded. It writes the form's four hidden focal point inputs (centre
// across, centre down, width, height) in pixels of the upright picture; the server checks them.
(() => {
  const Stimulus = window.StimulusModule;
  const app = window.wagtail && window.wagtail.app;
  if (!Stimulus || !app) return;

  const KEYS = ["x", "y", "width", "height"];
  const CLICK_AREA = 0.15; // a click marks a square of 15% of the shorter side
  const STEP = 0.02; // an arrow key moves 2% (Shift: 10%)

  const clamp = (value, low, high) => Math.min(Math.max(value, low), high);

  class FocalPointController extends Stimulus.Controller {
    static targets = ["stage", "picture", "box", "keys", "status", "remove"];
    static values = { src: String, width: Number, height: Number, fromFile: Boolean };

    connect() {
      this.form = this.element.closest("form");
      if (!this.form) return;
      this.inputs = {};
      KEYS.forEach((key) => {
        this.inputs[key] = this.form.querySelector(`input[name$="focal_point_${key}"]`);
      });
      if (this.srcValue) {
        this.show(this.srcValue, this.widthValue, this.heightValue);
      } else if (this.fromFileValue) {
        this.fileInput = this.form.querySelector('input[type="file"]');
        this.onFile = () => this.readFile();
        if (this.fileInput) this.fileInput.addEventListener("change", this.onFile);
      }
    }

    disconnect() {
      if (this.fileInput) this.fileInput.removeEventListener("change", this.onFile);
      this.revoke();
    }

    // The add page and the chooser's upload tab: show the chosen file before it is sent.
    readFile() {
      const file = this.fileInput.files && this.fileInput.files[0];
      this.revoke();
      this.write(null, false);
      this.hide();
      if (!file || !file.type.startsWith("image/")) return;
      this.objectUrl = URL.createObjectURL(file);
      const probe = new Image();
      // The browser shows the picture upright (EXIF orientation applied), as renditions cut it.
      probe.onload = () => this.show(this.objectUrl, probe.naturalWidth, probe.naturalHeight);
      probe.src = this.objectUrl;
    }

    revoke() {
      if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
      this.objectUrl = null;
    }

    show(src, width, height) {
      if (!width || !height) return;
      this.size = { width, height };
      if (this.pictureTarget.getAttribute("src") !== src) this.pictureTarget.src = src;
      this.stageTarget.hidden = false;
      this.keysTarget.hidden = false;
      this.draw(this.read());
    }

    hide() {
      this.size = null;
      this.stageTarget.hidden = true;
      this.keysTarget.hidden = true;
    }

    read() {
      const area = {};
      for (const key of KEYS) {
        const number = parseInt(this.inputs[key] ? this.inputs[key].value : "", 10);
        if (Number.isNaN(number)) return null;
        area[key] = number;
      }
      return area;
    }

    write(area, announce = true) {
      KEYS.forEach((key) => {
        const input = this.inputs[key];
        if (!input) return;
        input.value = area ? String(Math.round(area[key])) : "";
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      this.draw(area);
      if (announce) {
        const text = area ? this.statusTarget.dataset.setText : this.statusTarget.dataset.noneText;
        this.statusTarget.textContent = text;
      }
    }

    draw(area) {
      const box = this.boxTarget;
      this.removeTarget.hidden = !area;
      if (!area || !this.size) {
        box.hidden = true;
        return;
      }
      const { width, height } = this.size;
      box.hidden = false;
      box.style.left = `${(100 * (area.x - area.width / 2)) / width}%`;
      box.style.top = `${(100 * (area.y - area.height / 2)) / height}%`;
      box.style.width = `${(100 * area.width) / width}%`;
      box.style.height = `${(100 * area.height) / height}%`;
    }

    // Keep the area inside the picture, at least a pixel wide.
    fit(area) {
      const { width, height } = this.size;
      const w = clamp(Math.round(area.width), 1, width);
      const h = clamp(Math.round(area.height), 1, height);
      return {
        x: Math.round(clamp(area.x, w / 2, width - w / 2)),
        y: Math.round(clamp(area.y, h / 2, height - h / 2)),
        width: w,
        height: h,
      };
    }

    pointAt(event) {
      const rect = this.pictureTarget.getBoundingClientRect();
      return {
        x: clamp((event.clientX - rect.left) / rect.width, 0, 1) * this.size.width,
        y: clamp((event.clientY - rect.top) / rect.height, 0, 1) * this.size.height,
      };
    }

    clickArea(point) {
      const side = CLICK_AREA * Math.min(this.size.width, this.size.height);
      return this.fit({ x: point.x, y: point.y, width: side, height: side });
    }

    start(event) {
      if (!this.size || event.button !== 0) return;
      event.preventDefault();
      this.stageTarget.focus();
      const stage = this.stageTarget;
      const anchor = this.pointAt(event);
      const between = (point) => ({
        x: (anchor.x + point.x) / 2,
        y: (anchor.y + point.y) / 2,
        width: Math.abs(point.x - anchor.x),
        height: Math.abs(point.y - anchor.y),
      });
      const small = (area) => area.width < this.size.width * 0.02 && area.height < this.size.height * 0.02;
      const move = (e) => {
        const area = between(this.pointAt(e));
        if (!small(area)) this.draw(this.fit(area));
      };
      const end = (e) => {
        stage.removeEventListener("pointermove", move);
        stage.removeEventListener("pointerup", end);
        stage.removeEventListener("pointercancel", end);
        const area = between(this.pointAt(e));
        this.write(small(area) ? this.clickArea(anchor) : this.fit(area));
      };
      stage.setPointerCapture(event.pointerId);
      stage.addEventListener("pointermove", move);
      stage.addEventListener("pointerup", end);
      stage.addEventListener("pointercancel", end);
    }

    key(event) {
      if (!this.size) return;
      if (event.key === "Delete" || event.key === "Backspace") {
        event.preventDefault();
        this.clear();
        return;
      }
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
      const move = moves[event.key];
      if (!move) return;
      event.preventDefault();
      const step = (event.shiftKey ? 5 : 1) * STEP;
      const area = this.read() || this.clickArea({ x: this.size.width / 2, y: this.size.height / 2 });
      area.x += move[0] * step * this.size.width;
      area.y += move[1] * step * this.size.height;
      this.write(this.fit(area));
    }

    clear() {
      this.write(null);
      if (this.size) this.stageTarget.focus();
    }
  }

  app.register("polosa-focal-point", FocalPointController);
})();
