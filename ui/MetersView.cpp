#include "ui/MetersView.h"

#include <QGridLayout>
#include <QLabel>

#include "ui/LevelMeter.h"
#include "ui/LoudnessPanel.h"

namespace liverack::ui {

MetersView::MetersView(QWidget* parent) : QWidget(parent) {
    input_ = new LevelMeter(this);
    output_ = new LevelMeter(this);
    input_->setAccessibleName(tr("Input level"));
    output_->setAccessibleName(tr("Output level"));
    loudness_ = new LoudnessPanel(this);
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(6, 6, 6, 6);
    grid->setHorizontalSpacing(4);
    grid->setVerticalSpacing(2);
    const auto caption = [this](const QString& text) {
        auto* label = new QLabel(text, this);
        label->setAlignment(Qt::AlignCenter);
        label->setStyleSheet("color: #8a9099; font-weight: 600;");
        return label;
    };
    grid->addWidget(caption(tr("IN")), 0, 0);
    grid->addWidget(caption(tr("OUT")), 0, 1);
    grid->addWidget(input_, 1, 0);
    grid->addWidget(output_, 1, 1);
    grid->addWidget(loudness_, 2, 0, 1, 2);
    grid->setRowStretch(1, 1);
    clear();
}

void MetersView::clear() {
    input_->clear();
    output_->clear();
    loudness_->clear();
}

}  // namespace liverack::ui
