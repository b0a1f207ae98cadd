#include "ui/LoudnessPanel.h"

#include <QGridLayout>
#include <QLabel>

#include <QPushButton>
#include "ui/ReadoutLabel.h"

#include <cmath>

namespace liverack::ui {

namespace {

QString format(float value, const char* unit) {
    if (!std::isfinite(value) || value < -99.0f) {
        return QStringLiteral("—  %1").arg(unit);
    }
    return QStringLiteral("%1 %2").arg(QString::number(value, 'f', 1).replace('-', QChar(0x2212)),
                                       unit);
}

const QColor kValueText(0xdc, 0xdf, 0xe4);
const QColor kHotText(0xff, 0x7a, 0x7a);

ReadoutLabel* makeValue(QWidget* parent, double scale) {
    ReadoutLabel::Look look;
    look.text = kValueText;
    look.background = QColor(0x14, 0x16, 0x19);
    look.border = QColor(0x30, 0x34, 0x3a);
    look.alignment = Qt::AlignRight | Qt::AlignVCenter;
    look.opaque = true;
    auto* label = new ReadoutLabel(look, QStringLiteral("−88.8 LUFS"), parent);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * scale);
    f.setWeight(QFont::DemiBold);
    f.setStyleHint(QFont::Monospace);
    label->setFont(f);
    label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    return label;
}

}  // namespace

LoudnessPanel::LoudnessPanel(QWidget* parent) : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(2, 4, 2, 0);
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    auto* title = new QLabel(tr("LOUDNESS · output"), this);
    title->setStyleSheet("color: #8a9099; font-weight: 600;");
    auto* reset = new QPushButton(tr("Reset"), this);
    reset->setToolTip(tr("Start a new integrated loudness, range and true-peak measurement"));
    connect(reset, &QPushButton::clicked, this, &LoudnessPanel::resetRequested);
    grid->addWidget(title, 0, 0, 1, 3);
    grid->addWidget(reset, 0, 3, Qt::AlignRight);
    momentary_ = makeValue(this, 1.0);
    shortTerm_ = makeValue(this, 1.0);
    integrated_ = makeValue(this, 1.5);
    range_ = makeValue(this, 1.0);
    truePeak_ = makeValue(this, 1.0);
    const auto addField = [&](int row, int column, int span, const QString& name,
                              ReadoutLabel* value, const QString& tip) {
        auto* label = new QLabel(name, this);
        label->setStyleSheet("color: #b8bdc5;");
        grid->addWidget(label, row, column);
        grid->addWidget(value, row, column + 1, 1, span);
        label->setToolTip(tip);
        value->setToolTip(tip);
    };
    addField(1, 0, 3, tr("Integrated"), integrated_, tr("Gated loudness since the last reset"));
    addField(2, 0, 1, tr("Short"), shortTerm_, tr("Short-term loudness: the last 3 s"));
    addField(2, 2, 1, tr("Mom."), momentary_, tr("Momentary loudness: the last 400 ms"));
    addField(3, 0, 1, tr("Range"), range_, tr("Loudness range (LRA) since the last reset"));
    addField(3, 2, 1, tr("TP"), truePeak_,
             tr("True peak: highest inter-sample peak since the last reset"));
    grid->setColumnStretch(1, 1);
    grid->setColumnStretch(3, 1);
    clear();
}

void LoudnessPanel::setLoudness(const core::LoudnessSnapshot& l) {
    momentary_->setText(format(l.momentaryLufs, "LUFS"));
    shortTerm_->setText(format(l.shortTermLufs, "LUFS"));
    integrated_->setText(format(l.integratedLufs, "LUFS"));
    range_->setText(format(l.loudnessRangeLu, "LU"));
    truePeak_->setText(format(l.truePeakDbtp, "dBTP"));
    truePeak_->setTextColour(std::isfinite(l.truePeakDbtp) && l.truePeakDbtp > -1.0f ? kHotText
                                                                                     : kValueText);
}

void LoudnessPanel::clear() {
    core::LoudnessSnapshot empty{};
    empty.momentaryLufs = empty.shortTermLufs = empty.integratedLufs = -INFINITY;
    empty.loudnessRangeLu = -INFINITY;
    empty.truePeakDbtp = -INFINITY;
    setLoudness(empty);
}

QString LoudnessPanel::integratedText() const {
    return integrated_->text();
}

}  // namespace liverack::ui
