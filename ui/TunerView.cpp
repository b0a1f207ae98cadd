#include "ui/TunerView.h"

#include <QPainter>
#include <QPainterPath>
#include <QSpinBox>

#include <algorithm>
#include <cmath>

#include "ui/DarkTheme.h"

namespace liverack::ui {

namespace {
constexpr double kSpanDegrees = 100.0;  // the needle's full travel, -50..+50 cents
constexpr double kPi = 3.14159265358979323846;
}  // namespace

TunerView::TunerView(QWidget* parent) : QWidget(parent) {
    setAttribute(Qt::WA_OpaquePaintEvent);
    reference_ = new QSpinBox(this);
    reference_->setRange(400, 480);
    reference_->setValue(440);
    reference_->setPrefix(tr("A4 = "));
    reference_->setSuffix(tr(" Hz"));
    reference_->setToolTip(tr("Reference pitch of A4"));
    connect(reference_, &QSpinBox::valueChanged, this,
            [this](int hz) { Q_EMIT referenceA4Changed(static_cast<float>(hz)); });
    clear();
}

float TunerView::referenceA4() const {
    return static_cast<float>(reference_->value());
}

void TunerView::setReferenceA4(float hz) {
    reference_->setValue(static_cast<int>(std::lround(hz)));
}

void TunerView::setPitch(const core::PitchSnapshot& pitch) {
    pitch_ = pitch;
    if (pitch.voiced) {
        lastVoiced_ = pitch;
        hasVoiced_ = true;
    }
    repaintDial();
}

void TunerView::clear() {
    pitch_ = {};
    hasVoiced_ = false;
    repaintDial();
}

TunerView::Shown TunerView::shownNow() const {
    const core::PitchSnapshot& shown = pitch_.voiced ? pitch_ : lastVoiced_;
    Shown s;
    s.voiced = pitch_.voiced;
    s.anything = pitch_.voiced || hasVoiced_;
    if (s.anything) {
        s.noteMidi = shown.midiNote;
        s.hzTenths = std::lround(shown.hz * (shown.hz < 100 ? 100.0 : 10.0));
        s.centsTenths = std::lround(shown.cents * 10.0);
    }
    if (s.voiced) {
        s.confidencePercent = std::lround(std::clamp<double>(pitch_.confidence, 0.0, 1.0) * 100.0);
    }
    return s;
}

void TunerView::repaintDial() {
    const Shown now = shownNow();
    if (everPainted_ && now == painted_) {
        return;
    }
    painted_ = now;
    everPainted_ = true;
    // The reference box is a child: leaving it out of the region keeps it from repainting too.
    update(QRegion(rect()).subtracted(reference_->geometry()));
}

void TunerView::resizeEvent(QResizeEvent*) {
    const QSize s = reference_->sizeHint();
    reference_->setGeometry(width() - s.width() - 8, height() - s.height() - 8, s.width(),
                            s.height());
}

void TunerView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), ThemeColours::panel());

    const bool voiced = pitch_.voiced;
    const core::PitchSnapshot& shown = voiced ? pitch_ : lastVoiced_;
    const bool anything = voiced || hasVoiced_;
    // Confidence dims everything that depends on the measurement; a held note is faint.
    const double confidence = voiced ? std::clamp<double>(pitch_.confidence, 0.0, 1.0) : 0.0;
    const double opacity = voiced ? 0.35 + 0.65 * confidence : (anything ? 0.22 : 0.0);
    const double cents = std::clamp<double>(shown.cents, -50.0, 50.0);
    const bool inTune = voiced && std::abs(shown.cents) <= kInTuneCents;

    // Gauge geometry: an arc whose centre lies below the widget's middle.
    const double w = width();
    const double h = height() - 40.0;  // leave room for the reference box
    const double radius = std::min(w * 0.46, h * 0.78);
    const QPointF centre(w / 2.0, 14.0 + radius);
    const auto pointAt = [&](double c, double r) {
        const double a = (90.0 - c / 50.0 * (kSpanDegrees / 2.0)) * kPi / 180.0;
        return QPointF(centre.x() + r * std::cos(a), centre.y() - r * std::sin(a));
    };

    // In-tune zone and scale.
    const QRectF arcRect(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius);
    QPen zonePen(QColor(0x4c, 0xd1, 0x7a, inTune ? 200 : 70), 10, Qt::SolidLine, Qt::FlatCap);
    p.setPen(zonePen);
    const double zoneDeg = kInTuneCents / 50.0 * (kSpanDegrees / 2.0);
    p.drawArc(arcRect, static_cast<int>((90.0 - zoneDeg) * 16), static_cast<int>(2 * zoneDeg * 16));
    p.setPen(QPen(QColor(0x4a, 0x50, 0x58), 2));
    p.drawArc(arcRect, static_cast<int>((90.0 - kSpanDegrees / 2) * 16),
              static_cast<int>(kSpanDegrees * 16));
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    p.setFont(small);
    for (int c = -50; c <= 50; c += 10) {
        const bool major = c % 25 == 0;
        p.setPen(QPen(major ? ThemeColours::text() : ThemeColours::dimText(), major ? 2 : 1));
        p.drawLine(pointAt(c, radius - (major ? 12 : 7)), pointAt(c, radius));
        if (c % 50 == 0 || c == 0) {
            const QPointF t = pointAt(c, radius + 12);
            p.setPen(ThemeColours::dimText());
            const QString label =
                c > 0 ? QString("+%1").arg(c) : QString::number(c).replace('-', QChar(0x2212));
            p.drawText(QRectF(t.x() - 20, t.y() - 10, 40, 20), Qt::AlignCenter, label);
        }
    }

    // Note name.
    const QColor noteColour = inTune ? ThemeColours::good() : ThemeColours::text();
    QColor c = noteColour;
    c.setAlphaF(anything ? opacity : 1.0);
    QFont big = font();
    big.setPixelSize(static_cast<int>(std::clamp(radius * 0.55, 24.0, 110.0)));
    big.setWeight(QFont::Bold);
    p.setFont(big);
    p.setPen(anything ? c : ThemeColours::dimText().darker(140));
    const QString note = anything ? QString::fromLatin1(shown.noteName.data()) : QString();
    const QRectF noteRect(0, centre.y() - radius * 0.62, w, radius * 0.6);
    p.drawText(noteRect, Qt::AlignHCenter | Qt::AlignBottom, note);

    // Pointer: a short needle riding the scale, so the note name in the middle stays clear.
    if (anything) {
        QColor needle = inTune
                            ? ThemeColours::good()
                            : (std::abs(cents) > 20 ? ThemeColours::warn() : ThemeColours::text());
        needle.setAlphaF(opacity);
        p.setPen(QPen(needle, 3.5, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(pointAt(cents, radius * 0.74), pointAt(cents, radius + 4));
        QPainterPath head;
        head.moveTo(pointAt(cents, radius * 0.70));
        head.lineTo(pointAt(cents - 2.2, radius * 0.80));
        head.lineTo(pointAt(cents + 2.2, radius * 0.80));
        head.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(needle);
        p.drawPath(head);
    }

    // Frequency and cents.
    QFont mid = font();
    mid.setPointSizeF(mid.pointSizeF() * 1.15);
    p.setFont(mid);
    QColor textColour = ThemeColours::text();
    textColour.setAlphaF(anything ? std::max(opacity, 0.3) : 1.0);
    p.setPen(anything ? textColour : ThemeColours::dimText());
    const QString detail = anything ? tr("%1 Hz   %2%3 ¢")
                                          .arg(shown.hz, 0, 'f', shown.hz < 100 ? 2 : 1)
                                          .arg(shown.cents >= 0 ? "+" : QString(QChar(0x2212)))
                                          .arg(std::abs(shown.cents), 0, 'f', 1)
                                    : tr("no pitch");
    p.drawText(QRectF(0, centre.y() - radius * 0.02, w, 24), Qt::AlignHCenter | Qt::AlignTop,
               detail);
    p.setFont(small);
    p.setPen(ThemeColours::dimText());
    const QString status = voiced ? tr("confidence %1 %").arg(std::lround(confidence * 100.0))
                                  : (anything ? tr("holding last note") : tr("play a note"));
    p.drawText(QRectF(8, height() - 30, w / 2, 22), Qt::AlignLeft | Qt::AlignVCenter, status);
}

}  // namespace liverack::ui
